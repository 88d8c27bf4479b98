// Renderer entry (the kiosk window): connect the bridge, start the screens.
import { startApp } from './app.ts';
import { connectBridge } from './bridge.ts';

const root = document.getElementById('app');
if (root) startApp(root, connectBridge());
