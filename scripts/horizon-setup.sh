#!/usr/bin/env bash
# horizon-setup.sh -- makes sure an unmodified Horizon 27 + neutron-vpnaas-dashboard 15 (PyPI, pinned in
# horizon/requirements.txt) is installed and configured for vpnaasd, and prints the venv path. Configuring
# means: horizon/local_settings.py as openstack_dashboard/local/local_settings.py, the plugin's own enabled
# file plus horizon/enabled/* in openstack_dashboard/local/enabled/, then collectstatic + compress (offline).
# Cached: redone only when horizon/ changes. Run it before test stages (it needs PyPI).
# Start Horizon with:
#   VPNAAS_KEYSTONE_URL=http://127.0.0.1:9696/v3 DJANGO_SETTINGS_MODULE=openstack_dashboard.settings \
#     "$venv/bin/django-admin" runserver --insecure --noreload 127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(bash scripts/py-venv.sh horizon horizon/requirements.txt)
site=$(echo "$venv"/lib/python3*/site-packages)
stamp=$(cat horizon/local_settings.py horizon/enabled/*.py | sha256sum | cut -c1-12)
if [ ! -f "$venv/.configured-$stamp" ]; then
  echo "configuring Horizon in $venv..." >&2
  install -m 0644 horizon/local_settings.py "$site/openstack_dashboard/local/local_settings.py"
  rm -f "$site"/openstack_dashboard/local/enabled/_[0-9]*.py
  cp "$site"/neutron_vpnaas_dashboard/enabled/_7100_project_vpn_panel.py "$site/openstack_dashboard/local/enabled/"
  cp horizon/enabled/*.py "$site/openstack_dashboard/local/enabled/"
  export DJANGO_SETTINGS_MODULE=openstack_dashboard.settings HORIZON_SECRET_KEY=setup-only
  "$venv/bin/django-admin" collectstatic --noinput -v 0 >&2
  "$venv/bin/django-admin" compress --force -v 0 >&2
  rm -f "$venv"/.configured-*
  touch "$venv/.configured-$stamp"
fi
echo "$venv"
