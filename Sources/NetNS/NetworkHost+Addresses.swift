extension NetworkHost {
    package func addresses(of device: String, in namespace: String?) async throws -> [InterfaceAddress] {
        try Self.validateInterface(device)
        return try IPJSON.addresses(try await read(Self.ipCommand(["address", "show", "dev", device], in: namespace, json: true)))
    }

    /// Every address in the namespace (one exec instead of one per device).
    package func addresses(in namespace: String?) async throws -> [InterfaceAddress] {
        try IPJSON.addresses(try await read(Self.ipCommand(["address", "show"], in: namespace, json: true)))
    }

    /// Idempotent (`address replace`). `noDAD` adds `nodad` to IPv6 addresses so they are usable at once.
    package func addAddress(_ cidr: String, to device: String, in namespace: String?, noDAD: Bool = true) async throws {
        try await perform(.addAddress(cidr, device: device, noDAD: noDAD), in: namespace)
    }

    /// No-op when the address (or the device) is not there.
    package func deleteAddress(_ cidr: String, from device: String, in namespace: String?) async throws {
        try await perform(.deleteAddress(cidr, device: device), in: namespace)
    }
}
