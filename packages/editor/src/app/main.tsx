import { createRoot } from 'react-dom/client';
import { accessToken, takeTokenFromAddress } from './access-token.js';
import { App } from './app.js';
import './styles.css';

// Before the first request, so the app's first call already carries the token.
takeTokenFromAddress(window, accessToken);
createRoot(document.getElementById('root')!).render(<App />);
