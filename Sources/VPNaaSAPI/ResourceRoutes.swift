import HTTPTypes
import Hummingbird
import NIOCore
import VPNaaSDomain
import VPNaaSWire

/// One Neutron collection: `GET` list/show, `POST`, `PUT`, `DELETE`, with Neutron's envelopes, query
/// handling and status codes. Controllers supply the use-cases and the rendering.
struct ResourceRoutes<Item: Sendable>: Sendable {
    let singular: String
    let plural: String
    let filterable: Set<String>
    let render: @Sendable (Item) -> JSONObject
    let list: @Sendable (Identity) async throws -> [Item]
    let show: @Sendable (String, Identity) async throws -> Item
    let create: @Sendable (JSONValue, Identity) async throws -> Item
    /// The last argument is the `If-Match: revision_number=N` precondition (nil: none); collections whose
    /// objects carry no revision_number ignore it, as Neutron does.
    let update: @Sendable (String, JSONValue, Identity, Int?) async throws -> Item
    let delete: @Sendable (String, Identity, Int?) async throws -> Void
    /// Dict attributes whose given keys a PUT answer echoes as sent, as Neutron's does.
    var echoedOnUpdate: [String] = []
    /// Lists in the store: the collection's column-backed attributes, and the use-case running a list request
    /// (nil answer: the store cannot, list everything instead).
    var listSchema: ListSchema? = nil
    var listPage: (@Sendable (ListRequest, Identity) async throws -> ListPage<Item>?)? = nil

    /// Registers the five routes under `path` (e.g. `vpn/ikepolicies`) of `group`.
    func register(on group: RouterGroup<APIRequestContext>, path: String) {
        group.get(RouterPath(path)) { request, context in
            let query = try ListQuery(items: QueryString.items(request.uri.query), filterable: filterable)
            let (page, full) = try await listed(query, context.identity)
            var body: JSONObject = [plural: .array(page.map(JSONValue.object))]
            if let limit = query.limit {
                body["\(plural)_links"] = .array(
                    PageLinks.links(request: request, limit: limit, page: page, full: full, marker: query.marker))
            }
            return JSONResponse.make(body)
        }
        group.get(RouterPath(path + "/:id")) { request, context in
            let item = try await show(try context.parameters.require("id"), context.identity)
            return JSONResponse.make([singular: .object(Self.project(render(item), request))])
        }
        group.post(RouterPath(path)) { request, context in
            let body = try await RequestBody.json(request)
            let item = try await create(body, context.identity)
            return JSONResponse.make([singular: .object(render(item))], status: .created)
        }
        group.put(RouterPath(path + "/:id")) { request, context in
            let id = try context.parameters.require("id")
            let precondition = try IfMatch.revision(request.headers[values: .ifMatch])
            let body = try await RequestBody.json(request)
            let item = try await update(id, body, context.identity, precondition)
            let rendered = render(item).echoing(body, resource: singular, dictKeys: echoedOnUpdate)
            return JSONResponse.make([singular: .object(rendered)])
        }
        group.delete(RouterPath(path + "/:id")) { request, context in
            let precondition = try IfMatch.revision(request.headers[values: .ifMatch])
            try await delete(try context.parameters.require("id"), context.identity, precondition)
            return JSONResponse.noContent
        }
    }

    /// The page for `query`: the store's page when the query is exact in SQL, else `query.apply` over the rows
    /// (store-prefiltered when it can, all visible rows otherwise).
    func listed(_ query: ListQuery, _ identity: Identity) async throws -> (page: [JSONObject], full: Bool) {
        if let listSchema, let listPage {
            let (listRequest, exact) = query.request(schema: listSchema)
            if let result = try await listPage(listRequest, identity) {
                if exact { return (query.projected(result.items.map(render)), result.full) }
                return try query.apply(to: result.items.map(render))
            }
        }
        return try query.apply(to: try await list(identity).map(render))
    }

    /// `fields=` on a single object.
    static func project(_ object: JSONObject, _ request: Request) -> JSONObject {
        let fields = QueryString.items(request.uri.query).filter { $0.0 == "fields" }.map(\.1)
        return fields.isEmpty ? object : object.selecting(Set(fields))
    }
}

/// Request bodies: size-capped, JSON, never a 500.
enum RequestBody {
    /// Neutron's default `max_request_body_size` is 114688 bytes; we allow more for bulk but cap it.
    static let maxBytes = 1 << 20

    static func json(_ request: Request) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBytes)
        if buffer.readableBytes == 0 || buffer.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            throw VPNaaSError.badRequest("Resource body required")
        }
        return try JSONValue.parse(buffer.readableBytesView)
    }
}

/// Query strings as Python clients send them: repeated keys kept, `+` and `%xx` decoded.
enum QueryString {
    static func items(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").compactMap { pair in
            guard !pair.isEmpty else { return nil }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func decode(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(s.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let v = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(v)
                iterator.removeFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: ":"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

/// `<plural>_links` for `limit`/`marker` paging, as Neutron builds them.
enum PageLinks {
    static func links(request: Request, limit: Int, page: [JSONObject], full: Bool, marker: String?) -> [JSONValue] {
        let base = BaseURL.of(request) + request.uri.path
        let others = QueryString.items(request.uri.query).filter { $0.0 != "marker" && $0.0 != "limit" && $0.0 != "page_reverse" }
        func href(_ marker: String, reverse: Bool) -> JSONValue {
            var items = [("limit", String(limit))] + others + [("marker", marker)]
            if reverse { items.append(("page_reverse", "True")) }
            return .string(base + "?" + items.map { "\(QueryString.encode($0.0))=\(QueryString.encode($0.1))" }.joined(separator: "&"))
        }
        var links: [JSONValue] = []
        if full, let last = page.last?["id"]?.stringValue {
            links.append(.object(["rel": .string("next"), "href": href(last, reverse: false)]))
        }
        if marker != nil, let first = page.first?["id"]?.stringValue {
            links.append(.object(["rel": .string("previous"), "href": href(first, reverse: true)]))
        }
        return links
    }
}

/// The URL the client used to reach us, for absolute links.
enum BaseURL {
    static func of(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        return "http://\(host)"
    }
}
