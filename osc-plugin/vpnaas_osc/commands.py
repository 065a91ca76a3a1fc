"""`openstack vpn ipsec site connection status|event list`, `openstack vpn peer config device list|show`."""
import sys
import urllib.parse

from osc_lib import exceptions
from osc_lib.command import command

BASE = "/vpn/ipsec-site-connections"


def _connection_id(client, name_or_id):
    return client.find_vpn_ipsec_site_connection(name_or_id, ignore_missing=False).id


def _get(client, path, json=True):
    response = client.get(path, headers={"Accept": "application/json" if json else "text/plain"}, raise_exc=False)
    if response.status_code >= 400:
        try:
            error = response.json().get("NeutronError", {})
            message = error.get("message") or response.text
        except ValueError:
            message = response.text
        raise exceptions.CommandError(f"{response.status_code}: {message}")
    return response.json() if json else response.text


class ShowConnectionStatus(command.ShowOne):
    """Show what the data plane says about a site connection: state, failure reason, counters."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("connection", metavar="<ipsec-site-connection>", help="IPsec site connection (name or ID)")
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.network
        conn = _connection_id(client, parsed_args.connection)
        status = _get(client, f"{BASE}/{conn}/status")["ipsec_site_connection_status"]
        keys = sorted(status)
        return keys, [status[k] for k in keys]


class ListConnectionEvents(command.Lister):
    """List a site connection's tunnel events, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("connection", metavar="<ipsec-site-connection>", help="IPsec site connection (name or ID)")
        parser.add_argument("--limit", metavar="<n>", type=int, help="Show at most this many (default: all)")
        parser.add_argument("--marker", metavar="<event-id>", help="Start after this event (paging)")
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.network
        conn = _connection_id(client, parsed_args.connection)
        query = {}
        if parsed_args.limit:
            query["limit"] = str(parsed_args.limit)
        if parsed_args.marker:
            query["marker"] = parsed_args.marker
        path = f"{BASE}/{conn}/events" + ("?" + urllib.parse.urlencode(query) if query else "")
        events = []
        while path:
            page = _get(client, path)
            events += page["ipsec_site_connection_events"]
            nxt = [link["href"] for link in page.get("ipsec_site_connection_events_links", []) if link.get("rel") == "next"]
            if parsed_args.limit or not nxt:
                break
            split = urllib.parse.urlsplit(nxt[0])
            path = f"{BASE}/{conn}/events?{split.query}"
        columns = ("id", "time", "type", "ike_state", "child_state", "failure_reason", "message")
        headers = ("ID", "Time", "Type", "IKE State", "Child State", "Failure Reason", "Message")
        return headers, [tuple(e.get(c) for c in columns) for e in events]


class ListPeerConfigDevices(command.Lister):
    """List the devices a peer configuration can be rendered for."""

    def take_action(self, parsed_args):
        client = self.app.client_manager.network
        devices = _get(client, "/vpn/peer-config-devices")["peer_config_devices"]
        columns = ("id", "vendor", "platform", "software")
        return ("ID", "Vendor", "Platform", "Software"), [tuple(d.get(c) for c in columns) for d in devices]


class ShowPeerConfig(command.Command):
    """Print the remote side's configuration of a site connection for a device."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("connection", metavar="<ipsec-site-connection>", help="IPsec site connection (name or ID)")
        parser.add_argument("--device", metavar="<device-id>", required=True,
                            help="Device ID (see `openstack vpn peer config device list`)")
        parser.add_argument("--file", metavar="<path>", help="Write to this file (mode 0600: it may hold the PSK)")
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.network
        conn = _connection_id(client, parsed_args.connection)
        device = urllib.parse.quote(parsed_args.device, safe="")
        text = _get(client, f"{BASE}/{conn}/peer-config?device={device}", json=False)
        if parsed_args.file:
            import os
            fd = os.open(parsed_args.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
