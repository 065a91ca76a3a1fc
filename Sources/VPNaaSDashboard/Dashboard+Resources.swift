import HTTPTypes
import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

extension Dashboard {
    /// Which page an `…_id` attribute points into, for links and names.
    static let referenceSlugs: [String: String] = [
        "network_id": "networks", "subnet_id": "subnets", "router_id": "routers", "ikepolicy_id": "ikepolicies",
        "ipsecpolicy_id": "ipsecpolicies", "vpnservice_id": "vpnservices", "local_ep_group_id": "endpoint-groups",
        "peer_ep_group_id": "endpoint-groups",
    ]

    func registerResource<Context: RequestContext>(_ p: ResourcePage, on group: RouterGroup<Context>) {
        let d = self
        group.get(RouterPath(stringLiteral: p.slug)) { request, _ in
            let session = try await d.session(request)
            return try await d.listPage(p, session)
        }
        group.get(RouterPath(stringLiteral: p.slug + "/new")) { request, _ in
            let session = try await d.session(request)
            return try await d.formPage(p, session, id: nil, form: nil, current: nil, error: nil)
        }
        group.post(RouterPath(stringLiteral: p.slug)) { request, _ in
            let (session, form) = try await d.postedSession(request)
            let body = FormField.body(envelope: p.envelope, fields: p.createFields(for: session.identity), form: form, isCreate: true)
            do {
                let created = try await p.operations.create(body, session.identity)
                return DashboardHTTP.seeOther("/dashboard/\(p.slug)/\(created["id"]?.stringValue ?? "")")
            } catch let error as VPNaaSError {
                return try await d.formPage(p, session, id: nil, form: form, current: nil, error: error)
            }
        }
        group.get(RouterPath(stringLiteral: p.slug + "/:id")) { request, context in
            let session = try await d.session(request)
            let id = try context.parameters.require("id")
            return try await d.detailPage(p, session, object: try await p.operations.show(id, session.identity), error: nil)
        }
        group.get(RouterPath(stringLiteral: p.slug + "/:id/edit")) { request, context in
            let session = try await d.session(request)
            let id = try context.parameters.require("id")
            let current = try await p.operations.show(id, session.identity)
            return try await d.formPage(p, session, id: id, form: nil, current: current, error: nil)
        }
        group.post(RouterPath(stringLiteral: p.slug + "/:id")) { request, context in
            let (session, form) = try await d.postedSession(request)
            let id = try context.parameters.require("id")
            let current = try await p.operations.show(id, session.identity)
            let body = FormField.body(envelope: p.envelope, fields: p.updateFields(for: session.identity), form: form, isCreate: false)
            do {
                _ = try await p.operations.update(id, body, session.identity)
                return DashboardHTTP.seeOther("/dashboard/\(p.slug)/\(id)")
            } catch let error as VPNaaSError {
                return try await d.formPage(p, session, id: id, form: form, current: current, error: error)
            }
        }
        group.post(RouterPath(stringLiteral: p.slug + "/:id/delete")) { request, context in
            let (session, _) = try await d.postedSession(request)
            let id = try context.parameters.require("id")
            let current = try await p.operations.show(id, session.identity)
            do {
                try await p.operations.delete(id, session.identity)
                return DashboardHTTP.seeOther("/dashboard/\(p.slug)")
            } catch let error as VPNaaSError {
                return try await d.detailPage(p, session, object: current, error: error, usedBy: try await d.usedBy(id, session.identity))
            }
        }
    }

    /// Every object that points at `id` (by an `…_id`, an endpoint list, a gateway), so a refused delete
    /// can say what uses the object.
    func usedBy(_ id: String, _ identity: Identity) async throws -> [[String: Any]] {
        func refers(_ value: JSONValue) -> Bool {
            switch value {
            case .string(let s): return s == id
            case .array(let items): return items.contains(where: refers)
            case .object(let o): return o.fields.contains { refers($0.value) }
            default: return false
            }
        }
        var users: [[String: Any]] = []
        for p in pages {
            for object in try await p.operations.list(identity) {
                guard let oid = object["id"]?.stringValue, oid != id else { continue }
                if object.fields.contains(where: { $0.key != "id" && refers($0.value) }) {
                    users.append(["kind": p.singular, "label": Dashboard.label(object), "href": "/dashboard/\(p.slug)/\(oid)"])
                }
            }
        }
        return users
    }

    /// id → display name of every object a page can point at, for one caller.
    func names(_ identity: Identity, slugs: Set<String>) async throws -> [String: String] {
        var names: [String: String] = [:]
        for slug in slugs {
            for object in try await page(slug).operations.list(identity) {
                guard let id = object["id"]?.stringValue else { continue }
                names[id] = Dashboard.label(object)
            }
        }
        return names
    }

    /// An object's name, or its id when it has none.
    static func label(_ object: JSONObject) -> String {
        let name = object["name"]?.stringValue ?? ""
        var label = name.isEmpty ? (object["id"]?.stringValue ?? "") : name
        if let cidr = object["cidr"]?.stringValue { label += " (\(cidr))" }
        if case .bool(true)? = object["router:external"] { label += " (external)" }
        return label
    }

    /// A value as a table cell shows it.
    static func text(_ value: JSONValue?, names: [String: String] = [:]) -> String {
        switch value {
        case nil, .null?: return "—"
        case .string(let s)?: return s.isEmpty ? "—" : names[s] ?? s
        case .int(let i)?: return String(i)
        case .double(let x)?: return String(x)
        case .bool(let b)?: return b ? "yes" : "no"
        case .array(let items)?: return items.isEmpty ? "—" : items.map { text($0, names: names) }.joined(separator: ", ")
        case .object(let o)?:
            if o.isEmpty { return "—" }
            if let network = o["network_id"]?.stringValue { return names[network] ?? network }
            return o.fields.map { "\($0.key): \(text($0.value, names: names))" }.joined(separator: ", ")
        }
    }

    func listPage(_ p: ResourcePage, _ session: DashboardSession) async throws -> Response {
        let objects = try await p.operations.list(session.identity)
        let referenced = Set(p.columns.compactMap { Dashboard.referenceSlugs[$0.key] } + (p.slug == "routers" ? ["networks"] : []))
        let names = try await names(session.identity, slugs: referenced)
        let columns = p.columns.filter { $0.key != "name" }
        let rows: [[String: Any]] = objects.map { o in
            [
                "id": o["id"]?.stringValue ?? "", "label": Dashboard.label(o), "project": o["project_id"]?.stringValue ?? "",
                "cells": columns.map { c -> [String: Any] in
                    let text = Dashboard.text(o[c.key], names: names)
                    return ["text": text, "status": c.key == "status" ? text as Any : false]
                },
            ]
        }
        return page(
            "list", title: p.title, session: session, current: "/dashboard/\(p.slug)",
            model: [
                "title": p.title, "slug": p.slug, "singular": p.singular, "hasRows": !rows.isEmpty,
                "columns": [["label": p.columns.first?.label ?? "Name"]] + columns.map { ["label": $0.label] }, "rows": rows,
            ])
    }

    func detailPage(
        _ p: ResourcePage, _ session: DashboardSession, object: JSONObject, error: VPNaaSError?, usedBy: [[String: Any]] = []
    ) async throws -> Response {
        let names = try await names(session.identity, slugs: Set(object.keys.compactMap { Dashboard.referenceSlugs[$0] }))
        // A connection's status is shown live above; a stale copy below would contradict it.
        let hidden: Set<String> = p.slug == "ipsec-site-connections" ? ["tenant_id", "status"] : ["tenant_id"]
        let attributes: [[String: Any]] = object.fields.filter { !hidden.contains($0.key) }.map { field in
            var value = Dashboard.text(field.value, names: names)
            if field.key == "psk" { value = "•••••••• (edit the connection to change it)" }
            var link: Any = false
            if let slug = Dashboard.referenceSlugs[field.key], let id = field.value.stringValue, !id.isEmpty {
                link = "/dashboard/\(slug)/\(id)"
            }
            return ["key": field.key, "value": value, "link": link]
        }
        let id = object["id"]?.stringValue ?? ""
        let extras: String
        switch p.slug {
        case "routers": extras = try await routerExtras(id, session)
        case "ipsec-site-connections": extras = try await connectionExtras(id, session)
        default: extras = ""
        }
        return page(
            "detail", title: "\(p.singular) \(Dashboard.label(object))", session: session, current: "/dashboard/\(p.slug)",
            model: [
                "slug": p.slug, "title": p.title, "singular": p.singular, "id": id, "label": Dashboard.label(object),
                "attributes": attributes, "extras": extras, "error": orFalse(error?.neutron.message), "usedBy": usedBy,
                "hasUsers": !usedBy.isEmpty,
            ],
            status: error.map { .init(code: $0.neutron.status) } ?? .ok)
    }

    func formPage(
        _ p: ResourcePage, _ session: DashboardSession, id: String?, form: FormBody?, current: JSONObject?, error: VPNaaSError?
    ) async throws -> Response {
        let fields = id == nil ? p.createFields(for: session.identity) : p.updateFields(for: session.identity)
        let message = error?.neutron.message
        let errorField = message.flatMap { FormField.field(for: $0, in: fields) }
        let models = try await fieldModels(fields, session: session, form: form, current: current, error: (errorField, message))
        let heading = id == nil ? "Create \(p.singular)" : "Edit \(p.singular) \(current.map(Dashboard.label) ?? "")"
        return page(
            "form", title: heading, session: session, current: "/dashboard/\(p.slug)",
            model: [
                "heading": heading, "fields": models, "submit": id == nil ? "Create" : "Save",
                "action": id.map { "/dashboard/\(p.slug)/\($0)" } ?? "/dashboard/\(p.slug)",
                "cancel": id.map { "/dashboard/\(p.slug)/\($0)" } ?? "/dashboard/\(p.slug)",
                // Shown at the top only when no field claims it.
                "error": errorField == nil ? orFalse(message) : false,
            ],
            status: error.map { .init(code: $0.neutron.status) } ?? .ok)
    }

    /// View models of form inputs: the submitted value after an error, else the object's, else the default.
    func fieldModels(
        _ fields: [FormField], session: DashboardSession, form: FormBody?, current: JSONObject?, error: (field: String?, message: String?)
    ) async throws -> [[String: Any]] {
        var models: [[String: Any]] = []
        for field in fields {
            let submitted = form?[field.key]
            let value: String
            if field.kind == .secret {
                value = ""
            } else if let form, field.kind == .flag {
                value = form[field.key] != nil ? "true" : (form["\(field.key).present"] != nil ? "false" : field.defaultValue ?? "false")
            } else {
                value = submitted ?? current.flatMap(field.current(in:)) ?? field.defaultValue ?? ""
            }
            var options: [[String: Any]] = []
            var isSelect = false, multiple = false, blank = false
            switch field.kind {
            case .choice(let values):
                isSelect = true
                options = values.map { ["value": $0, "label": $0, "selected": $0 == value] }
            case .reference(let slug), .references(let slug):
                isSelect = true
                if case .references = field.kind { multiple = true }
                blank = !field.required
                let chosen = Set(form?.all(field.key) ?? [value])
                options = try await page(slug).operations.list(session.identity).map { o in
                    let id = o["id"]?.stringValue ?? ""
                    return ["value": id, "label": Dashboard.label(o), "selected": chosen.contains(id)]
                }
            default: break
            }
            let isError = error.field == field.key
            let hintID = field.hint.map { _ in field.inputID + "-hint" }
            let errorID = isError ? field.inputID + "-error" : nil
            let describedBy = [hintID, errorID].compactMap { $0 }.joined(separator: " ")
            models.append([
                "key": field.key, "inputID": field.inputID, "label": field.label, "hint": orFalse(field.hint),
                "required": field.required, "value": value, "checked": value == "true",
                "isFlag": field.kind == .flag, "isSelect": isSelect, "multiple": multiple, "blank": blank, "options": options,
                "isTextarea": field.kind == .textarea, "isInput": !isSelect && field.kind != .textarea && field.kind != .flag,
                "isSecret": field.kind == .secret,
                "inputType": field.kind == .secret ? "password" : field.kind == .number ? "text" : "text",
                "describedBy": describedBy.isEmpty ? false : describedBy as Any,
                "error": isError ? orFalse(error.message) : false,
            ])
        }
        return models
    }
}
