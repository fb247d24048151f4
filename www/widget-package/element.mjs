// captivate-chat-widget/element: importing this defines <captivate-chat api-key="…" …> (in a
// browser; nothing on a server). See element.d.ts for its attributes, events and methods.
import { defineElement } from './index.mjs';

defineElement();
