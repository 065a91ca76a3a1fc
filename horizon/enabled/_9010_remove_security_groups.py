# vpnaasd has no security groups: no panel for them.
PANEL = "security_groups"
PANEL_DASHBOARD = "project"
PANEL_GROUP = "network"
REMOVE_PANEL = True
