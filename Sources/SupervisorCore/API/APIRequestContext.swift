import Foundation
import Hummingbird

/// The request context of every route: Hummingbird's core storage, and the one shared JSON
/// encoder (``APIJSON``) for the `Codable` answers handlers return.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: JSONEncoder { APIJSON.encoder }
}
