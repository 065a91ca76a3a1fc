import VPNaaSDomain

extension ConnectionEvent {
    /// One entry of `ipsec_site_connection_events`; `time` is UTC ISO 8601 with milliseconds.
    package var wire: JSONObject {
        var o = JSONObject()
        o["id"] = .string(id)
        o["time"] = .string(Self.iso8601(millis: time))
        o["type"] = .string(kind.rawValue)
        o["ike_state"] = .string(ikeState)
        o["child_state"] = .string(childState)
        o["failure_reason"] = .string(failureReason?.rawValue)
        o["message"] = .string(message)
        return o
    }

    static func iso8601(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = millis - seconds * 1000
        let base = Timestamp(secondsSinceEpoch: seconds).description.dropLast()
        return "\(base).\(ms < 10 ? "00" : ms < 100 ? "0" : "")\(ms)Z"
    }
}
