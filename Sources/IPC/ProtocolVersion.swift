/// The version of the supervisor–worker protocol spoken by this build.
///
/// The supervisor sends it in ``Hello``; a worker that speaks another version answers ``Fatal``
/// with ``Fatal/Code/protocolMismatch`` instead of ``Ready``.
public enum ProtocolVersion {
    /// The only version this build speaks.
    public static let current = 1
}
