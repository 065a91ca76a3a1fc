import Configuration
import Testing
import VPNaaSCore
import VPNaaSDomain

@testable import VPNaaSAPI

/// The configuration types read their own keys through swift-configuration: the same keys from any
/// provider, secrets marked secret, and bad values a clear error naming the key.
@Suite("Settings through swift-configuration")
struct ConfigurationSettingsTests {
    static func reader(flags: [String: String] = [:], environment: [String: String] = [:], file: [String: String] = [:]) -> ConfigReader {
        func scoped(_ values: [String: String]) -> [AbsoluteConfigKey: ConfigValue] {
            Dictionary(uniqueKeysWithValues: values.map { (AbsoluteConfigKey(["vpnaas", $0.key]), ConfigValue(.string($0.value), isSecret: false)) })
        }
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: scoped(flags)),
            EnvironmentVariablesProvider(environmentVariables: environment),
            InMemoryProvider(name: "file", values: scoped(file)),
        ]).scoped(to: "vpnaas")
    }

    @Test func flagBeatsEnvironmentBeatsFile() throws {
        var api = APIConfiguration()
        try api.read(Self.reader(
            flags: ["bind": "[::1]:9797"],
            environment: ["VPNAAS_BIND": "0.0.0.0:1", "VPNAAS_DATA_DIR": "/env", "VPNAAS_QUOTA_ROUTER": "3"],
            file: ["bind": "127.0.0.1:2", "data_dir": "/file", "key_dir": "/keys", "auth_strategy": "noauth"]))
        #expect(api.host == "::1" && api.port == 9797)
        #expect(api.dataDir == "/env")
        #expect(api.keyDir == "/keys")
        #expect(api.authStrategy == .noauth)
        #expect(api.quotaDefaults[.router] == 3)
    }

    @Test func unsetKeysKeepDefaults() throws {
        var api = APIConfiguration()
        try api.read(Self.reader())
        #expect(api.host == "127.0.0.1" && api.port == 9696 && api.authStrategy == .keystone && api.dashboard)
        var agent = AgentConfiguration()
        try agent.read(Self.reader())
        #expect(agent.backend == .auto && agent.socketDir == "/run/vpnaas" && agent.maxVPNRouters == nil)
    }

    @Test func everyAgentKeyFromTheEnvironment() throws {
        var agent = AgentConfiguration()
        try agent.read(Self.reader(environment: [
            "VPNAAS_PHYSICAL_NETWORK_MAPPINGS": "public=bridge:br-ex,dc=interface:eth1", "VPNAAS_IPSEC_BACKEND": "libipsec",
            "VPNAAS_AGENT_STATE_DIR": "/state", "VPNAAS_AGENT_SOCKET_DIR": "/sock", "VPNAAS_AGENT_CLEANUP_ON_EXIT": "yes",
            "VPNAAS_AGENT_RESYNC_SECONDS": "2.5", "VPNAAS_AGENT_MAX_ROUTERS": "0", "VPNAAS_EVENT_RETENTION_COUNT": "7",
            "VPNAAS_EVENT_RETENTION_SECONDS": "600",
        ]))
        #expect(agent.physicalNetworks.count == 2)
        #expect(agent.backend == .libipsec && agent.stateDir == "/state" && agent.socketDir == "/sock" && agent.cleanupOnExit)
        #expect(agent.resync == .milliseconds(2500) && agent.maxVPNRouters == nil)
        #expect(agent.eventRetention.count == 7 && agent.eventRetention.maxAgeSeconds == 600)
    }

    @Test func badValuesNameTheirKey() {
        let cases: [([String: String], String)] = [
            (["bind": "nowhere"], "--bind must be HOST:PORT"),
            (["auth_strategy": "ldap"], "--auth-strategy must be one of"),
            (["token_expiration": "5"], "token_expiration must be seconds >= 60"),
            (["quota_router": "-2"], "quota_router must be an integer >= -1"),
            (["public_url": "ftp://x"], "--public-url must be an http(s) URL"),
            (["database": "mysql://x"], "--database:"),
            (["lockout_duration": "0"], "lockout_duration must be an integer >= 1"),
        ]
        for (file, message) in cases {
            var api = APIConfiguration()
            #expect { try api.read(Self.reader(file: file)) } throws: { ($0 as? SettingError)?.message.contains(message) == true }
        }
        var agent = AgentConfiguration()
        #expect { try agent.read(Self.reader(file: ["ipsec_backend": "kernel"])) } throws: {
            ($0 as? SettingError)?.message.contains("ipsec_backend must be one of auto, xfrm, libipsec") == true
        }
    }

    @Test func secretsAreReadAsSecrets() throws {
        #expect(APIConfiguration.secretKeys.isSuperset(of: ["keystone_password", "bootstrap_password"]))
        var api = APIConfiguration()
        try api.read(Self.reader(environment: ["VPNAAS_KEYSTONE_PASSWORD": "s3cret", "VPNAAS_BOOTSTRAP_PASSWORD": "b00t"]))
        #expect(api.identity.servicePassword == "s3cret" && api.identity.bootstrapPassword == "b00t")
    }
}
