// The socket's message handler and the routing head of each frame it reads, in JS: wasm
// (`src/client/wasm/frame.rs`) hears one code per frame instead of asking a dozen small questions
// (each field, each type test, is a call into the engine), and no event object crosses.
// The build puts these functions in the scope of each module's wasm-bindgen glue (the drop-in's
// UMD factory, the widget's glue module), where the glue finds it by name.
//
// It reads only the plain shape of the frequent events: `{ event: { event_type, event_payload
// } }` with a `bot_message`, `livechat_message` or `action` type, an object payload (or none)
// and string (or absent, or null) ids. Everything else is left to `FrameHead::read`
// (src/protocol/head.rs), whose rules this is a subset of: the result is the same either way.
//
// Returns a number: the low 4 bits are the kind (1 bot_message, 2 livechat_message, 3 action;
// 0: not read here, the parsed frame is part 0; 14: not JSON, the parser's message is part 3;
// 15: not text); 16: a payload (part 1); 32: a conversation id, the same as the last one read
// here; 64: a conversation id, new (part 2); 128: a message id (part 3).
let captivateFrameParts = [undefined, undefined, undefined, undefined];
let captivateLastConversation;
function captivateReadFrame(event) {
  const parts = captivateFrameParts;
  parts[0] = parts[1] = parts[2] = parts[3] = undefined;
  const data = event.data;
  if (typeof data !== 'string') return 15;
  let frame;
  try {
    frame = JSON.parse(data);
  } catch (e) {
    parts[3] = e instanceof Error ? e.message : typeof e === 'string' ? e : 'Unknown error';
    return 14;
  }
  parts[0] = frame;
  const e = frame !== null && typeof frame === 'object' ? frame.event : undefined;
  if (e === null || typeof e !== 'object') return 0;
  const kind = e.event_type === 'bot_message' ? 1 : e.event_type === 'livechat_message' ? 2 : e.event_type === 'action' ? 3 : 0;
  if (kind === 0) return 0;
  const p = e.event_payload;
  if (p === undefined) return kind;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return 0;
  const c = p.conversation_id;
  const m = kind === 1 ? p.ch_msg_id : undefined;
  if ((c != null && typeof c !== 'string') || (m != null && typeof m !== 'string')) return 0;
  parts[1] = p;
  let code = kind | 16;
  if (c != null) {
    if (c === captivateLastConversation) {
      code |= 32;
    } else {
      captivateLastConversation = parts[2] = c;
      code |= 64;
    }
  }
  if (m != null) {
    parts[3] = m;
    code |= 128;
  }
  return code;
}
function captivateFramePart(n) {
  return captivateFrameParts[n];
}

// The socket's message handler: reads each frame here and hands wasm only its code (no event
// object crosses, and no second call asks for the code).
function captivateListen(ws, onFrame) {
  ws.onmessage = (event) => onFrame(captivateReadFrame(event));
}
