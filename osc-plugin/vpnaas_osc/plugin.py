"""python-openstackclient plugin module (entry point group openstack.cli.extension).

The commands talk to the network endpoint through the same openstacksdk session as `openstack vpn ...`.
"""

DEFAULT_API_VERSION = "1"
API_VERSION_OPTION = "os_vpnaas_insight_api_version"
API_NAME = "vpnaas_insight"
API_VERSIONS = ("1",)


def make_client(instance):
    """The openstacksdk network proxy of the CLI's session."""
    return instance.network


def build_option_parser(parser):
    parser.add_argument(
        "--os-vpnaas-insight-api-version",
        metavar="<version>",
        default=DEFAULT_API_VERSION,
        help="vpnaasd insight API version (only 1)",
    )
    return parser
