// Code written against captivate-chat-api 7.0.0's published types. It must compile
// unchanged against ours (tsconfig.ours.json maps the import to pkg/dist/index.d.ts); the same
// file compiled against the official types (tsconfig.official.json) shows it is valid 7.0.0 code.
import { CaptivateChatAPI, CaptivateChatManager, CaptivateChatFileManager } from 'captivate-chat-api';
import type { TtlDays } from 'captivate-chat-api';

async function everything(): Promise<void> {
  CaptivateChatAPI.setDebugMode(true);
  const debug: boolean = CaptivateChatAPI.getDebugMode();
  const api = new CaptivateChatAPI('key');
  const dev = new CaptivateChatAPI('key', 'dev');
  const created: CaptivateChatAPI = await CaptivateChatAPI.create('key', 'prod');
  const maybe: CaptivateChatAPI | undefined = CaptivateChatAPI.getInstance('key', 'dev');
  const has: boolean = CaptivateChatAPI.hasInstance('key');
  await api.connect();
  const active: boolean = api.isSocketActive();
  await api.reconnect();
  const socket: WebSocket | null = api.getSocket();
  const socketId: string | null = api.getSocketId();

  const conversation = await api.createConversation('user', { firstName: 'A' }, { m: 1 }, 'user-first', { p: 1 });
  await api.createConversation('user');
  const id: string = conversation.getConversationId();
  const key: string = conversation.apiKey;
  conversation.apiKey = key; // a public field in 7.0.0: writable
  conversation.restartListeners();
  conversation.onMessage((message: string, type: string) => console.log(message, type));
  conversation.onError((error: any) => console.log(error.errorCode));
  conversation.onConversationUpdate((update: any) => console.log(update.type));
  conversation.onActionReceived((actions) => console.log(actions[0].id, actions[0].data));
  await conversation.sendMessage('hi');
  await conversation.sendMessage({ type: 'text', text: 'hi' });
  await conversation.sendAction('escalateToHuman');
  await conversation.sendAction('x', { a: 1 });
  await conversation.setMetadata({ a: 1 });
  await conversation.setPrivateMetadata({ b: 2 });
  const metadata: object = await conversation.getMetadata();
  await conversation.editMessage('m1', 'new');
  await conversation.editMessage('m1', { type: 'text', text: 'new' });
  const transcript: object[] = await conversation.getTranscript();
  await conversation.delete();
  await conversation.delete({ softDelete: false });
  await conversation.setTimeToLive(7);
  const fm = await conversation.fileManager.create({ file: new Blob(['x']), fileName: 'a.txt' });
  await conversation.fileManager.createFile({ file: new Blob(['x']) });
  await conversation.fileManager.createMultiple({ files: [new Blob(['x'])] });

  const got = api.getConversation(id);
  if (got) await got.sendMessage('again');
  const list = await api.getUserConversations('user');
  const page = await api.getUserConversations({ userId: 'user', filter: { a: 1 }, search: { t: 'x*' }, pagination: { page: 1, limit: '10' }, apiKeys: ['k1'] });
  const total: number | undefined = page.pagination?.total;
  list.conversations.forEach((c) => c.getConversationId());
  await api.deleteUserConversations('user');
  await api.deleteUserConversations('user', { softDelete: false });
  api.dispose();

  const manager = new CaptivateChatManager(['k1', 'k2'], 'dev');
  const manager2: CaptivateChatManager = await CaptivateChatManager.create(['k1']);
  await manager.connectAll();
  const mine = await manager.getUserConversations({ userId: 'u', apiKeys: ['k1'], filter: {}, search: {}, pagination: { page: '1' } });
  mine.conversations.map((c) => c.getConversationId());
  const inst: CaptivateChatAPI | undefined = manager.getApiInstance('k1');
  manager.dispose('k1');
  manager2.disposeAll();

  const ttl: TtlDays = 30;
  const file = await CaptivateChatFileManager.create({ file: new Blob(['x']), fileName: 'n', fileType: 't', storage: true, apiKey: 'k', conversationId: 'c', ttlDays: ttl });
  const first = await CaptivateChatFileManager.createFile({ file: new Blob(['x']), storage: false, url: 'https://x' });
  const multi = await CaptivateChatFileManager.createMultiple({ files: [new Blob(['x'])], storage: false, urls: ['https://x'] });
  const direct = new CaptivateChatFileManager(new Blob(['x']), { type: 'file_content', text: 'x', metadata: { source: 'file_attachment', originalFileName: 'x.txt' } }, 'text/plain');
  const directName: string | undefined = direct.getFilename();
  const proxied = CaptivateChatFileManager.createProxy(file);
  const url: string = await CaptivateChatFileManager.getSecureFileUrl('key', 60);
  const kind: 'files' = file.type;
  const n: number = file.length + multi.length + proxied.files.length;
  file.getFirstFile();
  file.getFilename();
  const text: string = file.getTextContent();
  file.getFileType();
  file.toFilesArray();
  await file.refreshSecureUrl();
  console.log(debug, dev, created, maybe, has, active, socket, socketId, key, metadata, transcript, fm, total, inst, first, url, kind, n, text);
}

void everything;
