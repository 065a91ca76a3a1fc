import VPNaaSPlan
import NetNS

extension AgentLayout {
    /// Mappings that need a device in the agent's own network namespace (`bridge:`, `interface:`).
    package var hostMappings: [String: PhysicalNetworkMapping] {
        physicalNetworks.filter { $0.value.hostDevice != nil }
    }

    /// Why each host mapping cannot be used with the links the agent's namespace has now; pure, so
    /// the reasons operators and tenants see are unit-tested.
    /// - Parameter agentBridges: bridges this agent made (an `interface:` NIC enslaved to one is fine).
    package func mappingProblems(links: [Link], agentBridges: Set<String>) -> [String: String] {
        var problems: [String: String] = [:]
        for (physnet, mapping) in hostMappings {
            let entry = "physical_network_mappings \(physnet)="
            switch mapping {
            case .isolated:
                continue
            case .hostBridge(let name):
                guard let link = links.first(where: { $0.name == name }) else {
                    problems[physnet] = "\(entry)bridge:\(name): no link \(name) in the agent's network namespace (create the bridge first)"
                    continue
                }
                if link.kind != "bridge" {
                    problems[physnet] = "\(entry)bridge:\(name): \(name) is not a bridge (it is \(Self.describe(link))); map a NIC with interface:\(name)"
                }
            case .hostInterface(let name):
                guard let link = links.first(where: { $0.name == name }) else {
                    problems[physnet] = "\(entry)interface:\(name): no interface \(name) in the agent's network namespace"
                    continue
                }
                if link.kind == "bridge" {
                    problems[physnet] = "\(entry)interface:\(name): \(name) is a bridge; map it with bridge:\(name)"
                } else if let master = link.master, !agentBridges.contains(master) {
                    problems[physnet] = "\(entry)interface:\(name): \(name) is already a port of \(master), which this agent did not make"
                }
            }
        }
        return problems
    }

    static func describe(_ link: Link) -> String {
        if let kind = link.kind { return "a \(kind) device" }
        return link.name == "lo" ? "the loopback device" : "a network interface"
    }
}
