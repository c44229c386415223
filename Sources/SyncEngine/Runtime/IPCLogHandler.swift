import IPC
import Logging
import Support

/// A swift-log handler that sends every record to the supervisor as a ``LogRecord``, in the
/// ``CompactLogLine`` framing the supervisor stores without decoding.
///
/// The worker's stdout carries only protocol lines, so logging must never `print`.
/// Values of the tenant's secret settings are masked before a record leaves the process.
public struct IPCLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let writer: LineWriter
    private let secrets: SecretMasker

    public init(writer: LineWriter, secrets: SecretMasker = SecretMasker(secrets: []), level: Logger.Level = .info) {
        self.writer = writer
        self.secrets = secrets
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var fields: [String: String] = [:]
        for (key, value) in merged { fields[key] = secrets.mask("\(value)") }
        let runID = fields.removeValue(forKey: "sync.run_id")
        let stream = fields.removeValue(forKey: "sync.stream")
        fields.removeValue(forKey: "tenant.id")
        let record = LogRecord(
            level: event.level.rawValue,
            message: secrets.mask("\(event.message)"),
            runID: runID,
            stream: stream,
            fields: fields
        )
        writer.write(CompactLogLine.encode(record))
    }
}
