import { createRoot } from 'react-dom/client';
import { accessToken, takeTokenFromAddress } from './access-token.js';
import { AppActions } from './actions/index.js';
import { App } from './app.js';
import { AppStore } from './store/index.js';
import './styles.css';

// Before the first request, so the app's first call already carries the token.
takeTokenFromAddress(window, accessToken);
const store = new AppStore();
const actions = new AppActions(store);
actions.start();
createRoot(document.getElementById('root')!).render(<App store={store} actions={actions} />);
