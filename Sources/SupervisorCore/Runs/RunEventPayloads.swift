import IPC

/// `progress`: one page written by a tenant's worker.
struct ProgressEvent: Encodable {
    var tenantID: String
    var progress: SyncProgress

    enum CodingKeys: String, CodingKey {
        case tenant, stream, step, steps, page, pages, counts
        case stepLabel = "step_label"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantID, forKey: .tenant)
        try container.encode(progress.stream, forKey: .stream)
        try container.encode(progress.step, forKey: .step)
        try container.encode(progress.steps, forKey: .steps)
        try container.encode("Step \(progress.step)/\(progress.steps)", forKey: .stepLabel)
        try container.encode(progress.page, forKey: .page)
        try container.encode(progress.pages, forKey: .pages)
        try container.encode(progress.counts, forKey: .counts)
    }
}

/// `tenant_completed` and `error`: a tenant's end.
struct TenantEndedEvent: Encodable {
    var tenantID: String
    var status: TenantRunStatus
    var error: String?
    var counts: StreamCounts?
    var results: RunResults?

    enum CodingKeys: String, CodingKey {
        case tenant, status, error, counts, results
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantID, forKey: .tenant)
        try container.encode(status, forKey: .status)
        try container.encode(error, forKey: .error)
        try container.encodeIfPresent(counts, forKey: .counts)
        try container.encodeIfPresent(results, forKey: .results)
    }
}

/// `completed`: the run's end, always the last event.
struct RunEndedEvent: Encodable {
    var runID: String
    var status: RunStatus
    var error: String?
    var results: RunResults?
    var durationSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case status, error, results
        case durationSeconds = "duration_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(status, forKey: .status)
        try container.encode(error, forKey: .error)
        try container.encodeIfPresent(results, forKey: .results)
        try container.encodeIfPresent(durationSeconds, forKey: .durationSeconds)
    }
}
