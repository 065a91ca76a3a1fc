# vpnaasd has no floating IPs: no admin panel for them.
PANEL = "floating_ips"
PANEL_DASHBOARD = "admin"
PANEL_GROUP = "network"
REMOVE_PANEL = True
