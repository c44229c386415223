import IPC
import SupervisorCore

/// One line per tenant of a run: status, then the progress in hand or the final counts.
enum RunPrinter {
    /// `hotel-a: running [#####-----] step 3/4 reservations page 4/9 +12 ~3 =980 12s`, or the counts once ended.
    static func line(for tenant: TenantRunSnapshot, elapsedSeconds: Int) -> String {
        if let progress = tenant.progress, tenant.status.isLive {
            let counts = progress.counts
            let pages = progress.pages.map(String.init) ?? "?"
            return "\(tenant.tenantID): \(bar(page: progress.page, pages: progress.pages)) step \(progress.step)/\(progress.steps) "
                + "\(progress.stream) page \(progress.page)/\(pages) +\(counts.created) ~\(counts.updated) =\(counts.unchanged) \(elapsedSeconds)s"
        }
        var line = "\(tenant.tenantID): \(tenant.status.rawValue)"
        if !tenant.status.isLive {
            let counts = tenant.counts
            line += " fetched \(counts.fetched) created \(counts.created) updated \(counts.updated) unchanged \(counts.unchanged)"
                + " deleted \(counts.deleted) rejected \(counts.rejected)"
        }
        if let error = tenant.error { line += " error: \(error)" }
        return line
    }

    /// `[#####-----]` for a page count, or a plain marker when the total is unknown.
    static func bar(page: Int, pages: Int?, width: Int = 20) -> String {
        guard let pages, pages > 0 else { return "[" + String(repeating: "~", count: width) + "]" }
        let filled = min(width, page * width / pages)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }
}
