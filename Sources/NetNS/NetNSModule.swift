/// Network namespaces, links, addresses, routes, sysctls and nftables through iproute2/nft.
package enum NetNSModule {}
