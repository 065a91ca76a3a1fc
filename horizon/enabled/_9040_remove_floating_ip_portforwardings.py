# vpnaasd has no floating IPs, so no port forwardings on them.
PANEL = "floating_ip_portforwardings"
PANEL_DASHBOARD = "project"
PANEL_GROUP = "network"
REMOVE_PANEL = True
