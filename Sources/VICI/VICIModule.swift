/// strongSwan VICI protocol: codec, Unix-socket client, event stream. Knows nothing of VPNaaS.
package enum VICIModule {}
