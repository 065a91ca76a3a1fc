# vpnaasd has no floating IPs: no panel for them.
PANEL = "floating_ips"
PANEL_DASHBOARD = "project"
PANEL_GROUP = "network"
REMOVE_PANEL = True
