"""openstack CLI plugin for vpnaasd: tunnel status with failure reasons, event log, peer configuration."""
