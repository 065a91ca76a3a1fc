/// Neutron's PUT answer for dict attributes (`lifetime`, `dpd`): the plugin renders the ORM object it has just
/// assigned the request's values to, so each given key comes back exactly as sent (`"value": "2000"` stays a
/// string there; a later GET shows the stored 2000). Clients that compare their request with the answer
/// (Terraform's read-after-write) rely on it.
extension JSONObject {
    /// This rendered object with the dict attributes `keys` of an update `body` (envelope `resource`) echoed.
    package func echoing(_ body: JSONValue, resource: String, dictKeys keys: [String]) -> JSONObject {
        guard let given = body[resource]?.objectValue else { return self }
        var out = self
        for key in keys {
            guard let sent = given[key]?.objectValue, var rendered = out[key]?.objectValue else { continue }
            for field in sent.fields where rendered[field.key] != nil { rendered[field.key] = field.value }
            out[key] = .object(rendered)
        }
        return out
    }
}
