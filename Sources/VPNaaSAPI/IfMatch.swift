import VPNaaSDomain

/// Neutron's `revision-if-match` extension: `If-Match: revision_number=N` makes a PUT or DELETE a
/// compare-and-swap on the object's revision. Parsed as neutron's `check_request_for_revision_constraint`
/// does: entity tags other than `revision_number=…` are ignored, two of them or a non-integer are a 400.
enum IfMatch {
    /// The required revision, or nil when the request sets none.
    static func revision(_ fields: [String]) throws -> Int? {
        var revision: Int?
        for field in fields {
            for raw in field.split(separator: ",") {
                var tag = raw.trimmingBlanks
                if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
                if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = tag.dropFirst().dropLast() }
                let prefix = "revision_number="
                guard tag.hasPrefix(prefix) else { continue }
                guard revision == nil else {
                    throw VPNaaSError.badResourceRequest(resource: "if-match", message: "Multiple revision_number etags are not supported")
                }
                // Python's int(), as neutron uses it, accepts surrounding blanks.
                guard let n = Int(tag.dropFirst(prefix.count).trimmingBlanks) else {
                    throw VPNaaSError.badResourceRequest(
                        resource: "if-match", message: "Revision number etag must be in the format of revision_number=<int>")
                }
                revision = n
            }
        }
        return revision
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingBlanks: Substring {
        var s = self.drop(while: { $0 == " " || $0 == "\t" })
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
