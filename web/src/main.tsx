import { render } from 'preact';
import { App } from './ui/App.js';
import './styles/base.css';
import './styles/forms.css';
import './styles/auth.css';
import './styles/shell.css';
import './styles/sidebar.css';
import './styles/conversation.css';
import './styles/messages.css';
import './styles/people.css';
import './styles/actions.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
