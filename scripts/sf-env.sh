# Source me (after scripts/node22.sh): quiet, isolated settings for the pinned sf CLI in test/e2e/cli.
# Sets SF_BIN; callers choose HOME / SF_DATA_DIR themselves so nothing touches the user's own sf set-up.
_sf_env_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SF_BIN="$_sf_env_root/test/e2e/cli/node_modules/.bin/sf"
# Both autoupdate names: an npm-installed sf only mirrors SF_AUTOUPDATE_DISABLE for installer builds,
# and oclif's update hook reads SF_DISABLE_AUTOUPDATE (@salesforce/cli dist/util/env.js, @oclif/plugin-update
# dist/hooks/init.js, both in test/e2e/cli/node_modules).
export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_DISABLE_AUTOUPDATE=true \
  SF_SKIP_NEW_VERSION_CHECK=true SF_HIDE_RELEASE_NOTES=true SF_CONTAINER_MODE=true \
  SF_USE_GENERIC_UNIX_KEYCHAIN=true npm_config_update_notifier=false OCLIF_SKIP_NEW_VERSION_CHECK=true
unset _sf_env_root
