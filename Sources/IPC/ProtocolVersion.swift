/// The version of the supervisor–worker protocol spoken by this build.
///
/// The supervisor sends it in ``Hello``; a worker that speaks another version answers ``Fatal``
/// with ``Fatal/Code/protocolMismatch`` instead of ``Ready``.
public enum ProtocolVersion {
    /// The only version this build speaks. Version 2 added `check` and `check_result`.
    public static let current = 2
}
