// The web app of a Capacitor project that takes live updates through @capgo/capacitor-updater.
import { CapacitorUpdater } from '@capgo/capacitor-updater';

// Tell the plugin this bundle started correctly. Without this call within appReadyTimeout the plugin
// rolls the bundle back to the last good one and reports update_fail.
CapacitorUpdater.notifyAppReady();

CapacitorUpdater.current().then(({ bundle }) => {
  document.getElementById('version').textContent = `Running bundle ${bundle.version}`;
});
