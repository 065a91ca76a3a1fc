import Hummingbird
import VPNaaSDomain

/// Per-request state: Hummingbird's core storage plus who is calling.
package struct APIRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// Set by the auth middleware before any route runs.
    package var identity: Identity
    /// The client's IP address (the TCP peer; no proxy header is trusted), for per-source login throttling.
    package var remoteAddress: String?
    /// `req-<uuid>`, set by `RequestIDMiddleware`, echoed as `X-OpenStack-Request-ID` and kept in the audit trail.
    package var requestID = ""

    package init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = .noauthAdmin
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
