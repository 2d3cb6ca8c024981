// Type declarations of the km-widgets loader (dist/km-widgets.js):
// the global `KmWidgets` API, the four custom elements and their events.

/** Options accepted by `KmWidgets.configure()`; they merge into `KmWidgets.config`. */
export interface KmConfig {
  /** Default API base (`.../api/v1`) for widgets without an `api` attribute. */
  api?: string;
  /** A fixed bearer token. Takes precedence over `getToken`. */
  token?: string | null;
  /** Called before requests, and with `forceRefresh: true` once after a 401. */
  getToken?: (opts: { forceRefresh: boolean }) => Promise<string | null>;
  /** Extra request headers sent with every API request. */
  headers?: Record<string, string>;
}

/** The global API the loader defines as `window.KmWidgets`. */
export interface KmWidgetsApi {
  /** Merges options into `config`; live widgets re-resolve `api` and refetch. */
  configure(opts: KmConfig): KmConfig;
  /** The current configuration (read by the wasm API client on every request). */
  readonly config: KmConfig;
  /** The loader version. */
  readonly version: string;
  /** Resolves once the wasm module is initialized (null if it could not load). */
  readonly ready: Promise<unknown>;
}

/** `detail` of `km-ready`. */
export interface KmReadyDetail { widget: KmWidgetKind }
/** `detail` of `km-error` (status 0: the wasm module could not be loaded). */
export interface KmErrorDetail { widget: KmWidgetKind; status: number; title: string; detail?: string }

/** The widget kinds (also the values of `data-km-widget`). */
export type KmWidgetKind = "passion-match" | "ask-the-community" | "reflection-prompt" | "story-board";

/** Attributes every widget element understands. */
export interface KmWidgetElement extends HTMLElement {
  addEventListener<K extends keyof KmEventMap>(type: K, listener: (this: KmWidgetElement, ev: KmEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** Events dispatched on widget elements (`bubbles`, `composed`). */
export interface KmEventMap extends HTMLElementEventMap {
  "km-ready": CustomEvent<KmReadyDetail>;
  "km-error": CustomEvent<KmErrorDetail>;
  "km-profile-saved": CustomEvent<Record<string, unknown>>;
  "km-intro-sent": CustomEvent<Record<string, unknown>>;
  "km-question-asked": CustomEvent<Record<string, unknown>>;
  "km-answer-accepted": CustomEvent<Record<string, unknown>>;
  "km-reflection-saved": CustomEvent<Record<string, unknown>>;
  "km-reflection-shared": CustomEvent<Record<string, unknown>>;
  "km-story-submitted": CustomEvent<Record<string, unknown>>;
}

/**
 * HTML attributes (set with setAttribute or in markup; the div form uses `data-*`):
 * - all widgets: `api`, `lang` (`en` | `nl`), `theme` (`light` | `dark` | `auto`), `community`
 * - `km-passion-match`: `mode` (`compact` | `full`), `limit`, `tag`
 * - `km-ask-the-community`: `mode` (`full` | `ask` | `unanswered`), `limit`, `tag`
 * - `km-reflection-prompt`: `mode` (`prompt` | `journal` | `feed`), `prompt-set`
 * - `km-story-board`: `mode` (`board` | `submit` | `ticker`), `goal`, `team`, `limit`
 */
export interface KmPassionMatchElement extends KmWidgetElement {}
/** `<km-ask-the-community>`: see the attribute list on KmPassionMatchElement. */
export interface KmAskTheCommunityElement extends KmWidgetElement {}
/** `<km-reflection-prompt>`. */
export interface KmReflectionPromptElement extends KmWidgetElement {}
/** `<km-story-board>`. */
export interface KmStoryBoardElement extends KmWidgetElement {}

declare global {
  interface Window { KmWidgets: KmWidgetsApi }
  // eslint-disable-next-line no-var
  var KmWidgets: KmWidgetsApi;
  interface HTMLElementTagNameMap {
    "km-passion-match": KmPassionMatchElement;
    "km-ask-the-community": KmAskTheCommunityElement;
    "km-reflection-prompt": KmReflectionPromptElement;
    "km-story-board": KmStoryBoardElement;
  }
  interface DocumentEventMap extends Omit<KmEventMap, keyof HTMLElementEventMap> {}
}
