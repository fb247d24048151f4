// Type declarations of captivate-chat-wasm: the public surface of captivate-chat-api 7.0.0
// (code written against its dist/*.d.ts compiles against these), plus the additions
// documented in the README (endpoint options, connection state).

export type TtlDays = 1 | 7 | 30 | 90;
export type Mode = 'prod' | 'dev';

/** Where to connect instead of Captivate's hosts (self-hosting, the local server). */
export interface EndpointOptions {
  /** One origin for socket, channel HTTP and file service, e.g. `http://127.0.0.1:8080`. */
  baseUrl?: string;
  /** WebSocket base, e.g. `wss://example.com` (`/dev?apiKey=…` is added). */
  socketUrl?: string;
  /** Channel HTTP base (messages, transcripts). */
  apiUrl?: string;
  /** File service base (`/api/file-to-text`, `/api/presigned-url`). */
  fileUrl?: string;
}

export interface Pagination {
  hasNextPage: boolean;
  hasPrevPage: boolean;
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

export interface UserConversationsOptions {
  userId: string;
  filter?: object;
  search?: object;
  pagination?: { page?: string | number; limit?: string | number };
  apiKeys?: string[];
}

export interface Action {
  id: string;
  data: any;
}

export interface ConversationError {
  conversationId: string | undefined;
  errorCode: number | undefined;
  errorDesc: string | undefined;
}

export interface ConversationUpdate {
  type: string;
  conversationId: string | undefined;
  data: any;
}

export type MessageKind = 'ai_agent' | 'human_agent' | 'error';

export interface FileTextContent {
  type: 'file_content';
  text: string;
  metadata: { source: 'file_attachment'; originalFileName: string; storageType?: 'direct' };
}

export interface FileStorageInfo {
  fileKey: string;
  presignedUrl: string;
  expiresIn: number;
  fileSize: number;
  processingTime: number;
}

export interface FileInput {
  filename: string;
  type: string;
  file?: File | Blob;
  url?: string;
  storage?: FileStorageInfo;
  textContent: FileTextContent;
}

export interface FileOptions {
  file: File | Blob;
  fileName?: string;
  fileType?: string;
  storage?: boolean;
  url?: string;
}

export interface ConversationFileManager {
  create(options: FileOptions): Promise<CaptivateChatFileManager>;
  createFile(options: FileOptions): Promise<FileInput>;
  createMultiple(options: { files: (File | Blob)[]; storage?: boolean; urls?: string[] }): Promise<CaptivateChatFileManager>;
}

export declare class Conversation {
  apiKey: string;
  readonly fileManager: ConversationFileManager;
  /** The metadata the conversation was listed with. */
  readonly metadata: any;
  private constructor();
  getConversationId(): string;
  restartListeners(): void;
  onMessage(callback: (message: any, type: MessageKind | string) => void): void;
  onActionReceived(callback: (actions: [Action] | Action[]) => void): void;
  onConversationUpdate(callback: (update: ConversationUpdate | any) => void): void;
  onError(callback: (error: ConversationError | any) => void): void;
  /** Resolves to the server's HTTP answer. */
  sendMessage(content: object | string): Promise<any>;
  setMetadata(metadata: object): Promise<void>;
  setPrivateMetadata(privateMeta: object): Promise<void>;
  setTimeToLive(days: number): Promise<void>;
  sendAction(actionId: string, data?: object): Promise<void>;
  getTranscript(): Promise<object[]>;
  getMetadata(): Promise<object>;
  delete(options?: { softDelete?: boolean }): Promise<void>;
  editMessage(messageId: string, content: object | string): Promise<void>;
}

export declare class CaptivateChatAPI {
  static setDebugMode(enabled: boolean): void;
  static getDebugMode(): boolean;
  /** One instance per (apiKey, mode): a second `new` returns the same object until `dispose()`. */
  constructor(apiKey: string, mode?: Mode, endpoints?: EndpointOptions);
  readonly apiKey: string;
  readonly mode: string;
  connect(): Promise<void>;
  createConversation(
    userId: string,
    userBasicInfo?: object,
    metadata?: Record<string, any>,
    autoConversationStart?: 'bot-first' | 'user-first',
    privateMetadata?: object,
  ): Promise<Conversation>;
  getConversation(conversationId: string): Conversation | void;
  getUserConversations(userIdOrOptions: string | UserConversationsOptions): Promise<{ conversations: Conversation[]; pagination?: Pagination }>;
  deleteUserConversations(userId: string, options?: { softDelete?: boolean }): Promise<void>;
  getSocket(): WebSocket | null;
  getSocketId(): string | null;
  isSocketActive(): boolean;
  /** `offline`, `connecting`, `online` or `reconnecting`. */
  getConnectionState(): 'offline' | 'connecting' | 'online' | 'reconnecting';
  reconnect(): Promise<void>;
  static create(apiKey: string, mode?: Mode, endpoints?: EndpointOptions): Promise<CaptivateChatAPI>;
  static getInstance(apiKey: string, mode?: Mode): CaptivateChatAPI | undefined;
  static hasInstance(apiKey: string, mode?: Mode): boolean;
  dispose(): void;
}

export declare class CaptivateChatManager {
  constructor(apiKeys: string[], mode?: Mode);
  static create(apiKeys: string[], mode?: Mode): Promise<CaptivateChatManager>;
  connectAll(): Promise<void>;
  getUserConversations(options: {
    userId: string;
    apiKeys?: string[];
    filter?: object;
    search?: object;
    pagination?: { page?: string | number; limit?: string | number };
  }): Promise<{ conversations: Conversation[]; pagination?: any }>;
  getApiInstance(apiKey: string): CaptivateChatAPI | undefined;
  dispose(apiKey: string): void;
  disposeAll(): void;
}

export declare class CaptivateChatFileManager implements Iterable<FileInput> {
  readonly type: 'files';
  readonly files: FileInput[];
  readonly length: number;
  readonly [index: number]: FileInput;
  [Symbol.iterator](): Iterator<FileInput>;
  readonly [Symbol.toStringTag]: string;
  /** As in 7.0.0: one file and its extracted text (`create()` does the upload and extraction). */
  constructor(
    file: File | Blob,
    textContent: {
      type: 'file_content';
      text: string;
      metadata: { source: 'file_attachment'; originalFileName: string; storageType?: 'direct' };
    },
    type: string,
  );
  static create(options: FileOptions & { apiKey?: string; conversationId?: string; ttlDays?: TtlDays }): Promise<CaptivateChatFileManager>;
  static createFile(options: FileOptions & { apiKey?: string; conversationId?: string; ttlDays?: TtlDays }): Promise<FileInput>;
  static createMultiple(options: {
    files: (File | Blob)[];
    storage?: boolean;
    urls?: string[];
    apiKey?: string;
    conversationId?: string;
    ttlDays?: TtlDays;
  }): Promise<CaptivateChatFileManager>;
  static createProxy(instance: CaptivateChatFileManager): CaptivateChatFileManager;
  static getSecureFileUrl(fileKey: string, expiresIn?: number): Promise<string>;
  getFirstFile(): FileInput | undefined;
  getFilename(): string | undefined;
  getTextContent(): string;
  getFileType(): string | undefined;
  toFilesArray(): FileInput[];
  refreshSecureUrl(expiresIn?: number): Promise<string | undefined>;
}

declare const api: {
  CaptivateChatAPI: typeof CaptivateChatAPI;
  CaptivateChatManager: typeof CaptivateChatManager;
  CaptivateChatFileManager: typeof CaptivateChatFileManager;
};
export default api;
