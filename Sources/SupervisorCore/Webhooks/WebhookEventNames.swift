/// The callback's `event`, chosen by the connectors of the tenants a payload covers.
///
/// A payload whose tenants all use one connector is `sync_<connector>_completed`
/// (`sync_estimates_completed`, the contract of the estimates automation this service replaced),
/// unless `event_names` in the webhooks configuration names another event for that connector. A
/// payload mixing connectors, or whose tenants' connectors are no longer known (tenants removed
/// since), is `mixed_event_name`, by default `sync_completed`.
struct WebhookEventNames: Sendable, Equatable {
    /// Event by connector, over the default `sync_<connector>_completed`.
    var byConnector: [String: String] = [:]
    /// The event of a payload mixing connectors.
    var mixed = "sync_completed"

    /// The event for a payload covering tenants of `connectors`.
    func event(for connectors: Set<String>) -> String {
        guard connectors.count == 1, let connector = connectors.first else { return mixed }
        return byConnector[connector] ?? "sync_\(connector)_completed"
    }
}
