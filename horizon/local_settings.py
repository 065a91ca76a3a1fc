# Horizon 27 settings for vpnaasd: identity and network from one vpnaasd, no compute, no other services.
# Installed as openstack_dashboard/local/local_settings.py by scripts/horizon-setup.sh.
import os
import sys

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECRET_KEY = os.environ.get("HORIZON_SECRET_KEY") or open(os.environ.get("HORIZON_SECRET_FILE", "/dev/urandom"), "rb").read(32).hex()

# vpnaasd's embedded Keystone (its /v3 on the same port as Neutron; the catalog gives the network URL).
OPENSTACK_KEYSTONE_URL = os.environ.get("VPNAAS_KEYSTONE_URL", "http://127.0.0.1:9696/v3")
OPENSTACK_API_VERSIONS = {"identity": 3}
OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = False
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = "Default"
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
OPENSTACK_SSL_NO_VERIFY = True

# No memcached, no database: sessions in signed cookies, a local cache.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Statics compressed ahead of time (scripts/horizon-setup.sh runs collectstatic + compress).
COMPRESS_OFFLINE = True
STATIC_ROOT = os.environ.get("HORIZON_STATIC_ROOT") or os.path.join(sys.prefix, "static")

# What vpnaasd's Neutron serves: routers with a gateway, IPv6; no quotas, DVR, HA, floating IPs.
OPENSTACK_NEUTRON_NETWORK = {
    "enable_router": True,
    "enable_quotas": False,
    "enable_ipv6": True,
    "enable_distributed_router": False,
    "enable_ha_router": False,
    "enable_fip_topology_check": False,
    "enable_auto_allocated_network": False,
}
OPENSTACK_HYPERVISOR_FEATURES = {}
# Security groups and floating IPs do not exist here (vpnaasd lists them empty); their panels are removed by
# the enabled files _9010/_9020.
TIME_ZONE = "UTC"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "loggers": {"": {"handlers": ["console"], "level": os.environ.get("HORIZON_LOG_LEVEL", "WARNING")}}}
