// Global stylesheets first: feature stylesheets, imported by the components below, come after them in the
// cascade and so can refine the shared component rules (.input, .select, .card…) at equal specificity.
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/layout.css';
import './styles/care.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app';
import { setupI18n } from './i18n/setup';
import { SessionProvider } from './session/session';

setupI18n();

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element in index.html');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <App />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
