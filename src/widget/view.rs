//! The widget's components: launcher, panel (header, message list, composer) and the
//! renderers of every content type. They read `Chat` signals and call `Controller`.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::launcher::{self, LauncherButton};
use super::markdown;
use super::sanitize::{self, UrlUse};
use super::state::{Author, Chat, Controller, Msg, SendState};
use crate::client::{platform, LinkStatus};
use crate::policy::{linkify, Segment};
use crate::protocol::{ButtonOption, Card, ContentItem, FileRef};

type Ctl = StoredValue<Controller, LocalStorage>;

fn t(ctl: Ctl, key: &str) -> String {
    ctl.with_value(|c| c.strings().get(key))
}

/// The whole widget: launcher and panel (or the panel alone, inline).
#[component]
pub fn Widget(ctl: Ctl, inline: bool) -> impl IntoView {
    let chat = ctl.with_value(|c| c.chat());
    let launcher = NodeRef::<html::Button>::new();
    let close = move || {
        ctl.with_value(|c| c.set_open(false));
        if let Some(b) = launcher.get() {
            let _ = b.focus();
        }
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" && !inline {
            e.prevent_default();
            close();
        }
    };
    view! {
        <div class="cc-root" on:keydown=on_key>
            <Show when=move || inline || chat.open.get() fallback=|| ()>
                <Panel ctl=ctl inline=inline on_close=close />
            </Show>
            <Show when=move || !inline fallback=|| ()>
                <Launcher ctl=ctl node=launcher />
            </Show>
        </div>
    }
}

/// The launcher, driven by the controller.
#[component]
fn Launcher(ctl: Ctl, node: NodeRef<html::Button>) -> impl IntoView {
    let chat = ctl.with_value(|c| c.chat());
    let open = Signal::derive(move || chat.open.get());
    let unread = Signal::derive(move || chat.unread.get());
    let label = Signal::derive(move || {
        ctl.with_value(|c| launcher::label(c.strings(), open.get(), unread.get()))
    });
    view! {
        <LauncherButton
            open=open
            unread=unread
            label=label
            busy=Signal::stored(false)
            node=node
            on_click=move || ctl.with_value(|c| c.set_open(!chat.open.get_untracked()))
        />
    }
}

#[component]
fn Panel(
    ctl: Ctl,
    inline: bool,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let chat = ctl.with_value(|c| c.chat());
    let title = ctl.with_value(|c| {
        c.options()
            .title
            .clone()
            .unwrap_or_else(|| c.strings().get("title"))
    });
    let status = move || match chat.link.get() {
        LinkStatus::Online => t(ctl, "online"),
        LinkStatus::Connecting | LinkStatus::Offline => t(ctl, "connecting"),
        LinkStatus::Reconnecting => t(ctl, "reconnecting"),
    };
    let title_for_label = title.clone();
    let panel = NodeRef::<html::Section>::new();
    if !inline {
        follow_visual_viewport(panel);
    }
    view! {
        <section id="cc-panel" class="cc-panel" class:cc-inline=inline role="dialog" aria-label=title_for_label aria-modal="false" node_ref=panel
            on:dragover=move |e: ev::DragEvent| e.prevent_default()
            on:drop=move |e: ev::DragEvent| {
                let files = files_of(e.data_transfer().and_then(|d| d.files()));
                if !files.is_empty() {
                    e.prevent_default();
                    ctl.with_value(|c| c.upload(files));
                }
            }>
            <header class="cc-header">
                <div class="cc-heading">
                    <h2 class="cc-title">{title}</h2>
                    <p class="cc-status" class:cc-offline=move || chat.link.get() != LinkStatus::Online>
                        <span class="cc-dot" aria-hidden="true"></span>
                        {move || match chat.agent.get() { Some(name) => format!("{name} · {}", status()), None => status() }}
                    </p>
                </div>
                <button class="cc-icon-button" aria-label=move || t(ctl, "history") title=move || t(ctl, "history")
                    aria-pressed=move || chat.history.with(|h| h.is_some()).to_string()
                    on:click=move |_| ctl.with_value(|c| if chat.history.with_untracked(|h| h.is_some()) { c.hide_history() } else { c.show_history() })>
                    <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M4 6h16M4 12h16M4 18h10" /></svg>
                </button>
                <button class="cc-icon-button" aria-label=move || t(ctl, "new_conversation") title=move || t(ctl, "new_conversation")
                    on:click=move |_| ctl.with_value(|c| c.new_conversation())>
                    <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M12 5v14M5 12h14" /></svg>
                </button>
                <Show when=move || !inline fallback=|| ()>
                    <button class="cc-icon-button" aria-label=move || t(ctl, "close") on:click={let c = on_close.clone(); move |_| c()}>
                        <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M6 6l12 12M18 6L6 18" /></svg>
                    </button>
                </Show>
            </header>
            <Show when=move || chat.link.get() == LinkStatus::Reconnecting fallback=|| ()>
                <div class="cc-banner" role="status">{move || t(ctl, "reconnecting")}</div>
            </Show>
            <Show when=move || chat.history.with(|h| h.is_some()) fallback=move || view! {
                // A list per conversation: closing one releases everything its rows held.
                {move || { chat.current.track(); view! { <MessageList ctl=ctl /> } }}
                <Composer ctl=ctl />
            }>
                <History ctl=ctl />
            </Show>
            <div class="cc-sr-only" aria-live="polite" aria-atomic="true">{move || chat.announcement.get()}</div>
        </section>
    }
}

/// How many messages are put in the DOM at first and added per page when scrolling up.
const PAGE: usize = 40;
/// While the visitor follows the end, the DOM holds at most this many messages.
const MAX_RENDERED: usize = 3 * PAGE;

/// On phones the on-screen keyboard shrinks the visual viewport, not the layout viewport:
/// the full-screen panel follows `visualViewport` so that the composer stays above the keyboard.
fn follow_visual_viewport(panel: NodeRef<html::Section>) {
    use wasm_bindgen::closure::Closure;
    let Some(viewport) = web_sys::window().and_then(|w| w.visual_viewport()) else {
        return;
    };
    let v = viewport.clone();
    let update = Closure::<dyn Fn()>::new(move || {
        if let Some(el) = panel.get_untracked() {
            let style = el.style();
            let _ = style.set_property(
                "--cc-viewport-height",
                &format!("{}px", platform::number_text(v.height())),
            );
            let _ = style.set_property(
                "--cc-viewport-top",
                &format!("{}px", platform::number_text(v.offset_top())),
            );
        }
    });
    for kind in ["resize", "scroll"] {
        let _ = viewport.add_event_listener_with_callback(kind, update.as_ref().unchecked_ref());
    }
    let held = send_wrapper::SendWrapper::new((viewport, update));
    on_cleanup(move || {
        let (viewport, update) = held.take();
        for kind in ["resize", "scroll"] {
            let _ =
                viewport.remove_event_listener_with_callback(kind, update.as_ref().unchecked_ref());
        }
    });
}

/// A window of the conversation: a long history (thousands of messages) costs only the
/// messages rendered. It follows the end while the visitor does; scrolling up (or the
/// "earlier messages" button) renders the page above and drops one below, scrolling down
/// does the reverse, and what the visitor is reading never moves.
#[component]
fn MessageList(ctl: Ctl) -> impl IntoView {
    let chat: Chat = ctl.with_value(|c| c.chat());
    let list = NodeRef::<html::Div>::new();
    let at_bottom = RwSignal::new(true);
    let unseen = RwSignal::new(false);
    // The rendered window: [first, last), where `last == None` follows the end.
    let first = RwSignal::new(
        chat.messages
            .with_untracked(|l| l.len().saturating_sub(PAGE)),
    );
    let last = RwSignal::new(None::<usize>);
    // Also called from animation frames, which may come after the list is gone.
    let scroll_to_end = move || {
        if let Some(el) = list.try_get_untracked().flatten() {
            el.set_scroll_top(el.scroll_height());
        }
        unseen.try_set(false);
    };
    provide_context(FollowEnd(Callback::new(move |()| {
        if at_bottom.get_untracked() && last.get_untracked().is_none() {
            request_animation_frame(scroll_to_end);
        }
    })));
    let jump_to_end = move || {
        if last.get_untracked().is_some() {
            last.set(None);
            first.set(
                chat.messages
                    .with_untracked(|l| l.len().saturating_sub(PAGE)),
            );
        }
        at_bottom.set(true);
        request_animation_frame(scroll_to_end);
    };
    Effect::new(move |_| {
        let len = chat.messages.with(|l| l.len());
        let _ = chat.typing.get();
        if let Some(start) = restart_at(first.get_untracked(), len, at_bottom.get_untracked()) {
            first.set(start);
            last.set(None);
        }
        if at_bottom.get_untracked() && last.get_untracked().is_none() {
            // After the DOM update.
            request_animation_frame(scroll_to_end);
        } else {
            unseen.set(true);
        }
    });
    // Moves the window, keeping a message that stays rendered where it is on screen.
    let shift = move |new_first: usize, new_last: Option<usize>| {
        let Some(el) = list.get_untracked() else {
            return;
        };
        let (old_first, old_last) = (first.get_untracked(), last.get_untracked());
        let anchor = el
            .query_selector_all(".cc-msg")
            .ok()
            .and_then(|nodes| nodes.item(new_first.saturating_sub(old_first) as u32))
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok());
        let before = anchor.as_ref().map(|a| a.get_bounding_client_rect().top());
        if (new_first, new_last) == (old_first, old_last) {
            return;
        }
        first.set(new_first);
        last.set(new_last);
        request_animation_frame(move || {
            if let (Some(a), Some(before)) = (anchor, before) {
                let moved = a.get_bounding_client_rect().top() - before;
                el.set_scroll_top(el.scroll_top() + moved.round() as i32);
            }
        });
    };
    let earlier = move || {
        let start = first.get_untracked();
        if start == 0 {
            return;
        }
        // Reading back: stop following the end (scrolling back down to it follows again).
        at_bottom.set(false);
        let len = chat.messages.with_untracked(|l| l.len());
        let new_first = start.saturating_sub(PAGE);
        let end = last.get_untracked().unwrap_or(len);
        let new_last = (end - new_first > MAX_RENDERED).then_some(new_first + MAX_RENDERED);
        shift(new_first, new_last.or(last.get_untracked()));
    };
    let later = move || {
        let Some(end) = last.get_untracked() else {
            return;
        };
        let len = chat.messages.with_untracked(|l| l.len());
        let new_end = (end + PAGE).min(len);
        let new_first = first
            .get_untracked()
            .max(new_end.saturating_sub(MAX_RENDERED));
        shift(new_first, (new_end < len).then_some(new_end));
    };
    // Following the end stops only when the visitor scrolls up: messages arriving faster than
    // the list scrolls (a burst) leave it short of the end without unpinning it.
    // (Trimming the window clamps scrollTop too, so a smaller scrollTop alone proves nothing:
    // it counts after the visitor's wheel, touch, key or pointer.)
    let last_top = StoredValue::new(0);
    let intent = StoredValue::new(f64::NEG_INFINITY);
    let by_visitor = move || intent.set_value(crate::client::platform::now_ms());
    let on_scroll = move |_| {
        if let Some(el) = list.get() {
            let top = el.scroll_top();
            let previous = last_top.get_value();
            last_top.set_value(top);
            let near_end = el.scroll_height() - top - el.client_height() < 80;
            let by_visitor = crate::client::platform::now_ms() - intent.get_value() < 1000.0;
            if near_end && last.get_untracked().is_some() {
                later();
            } else if near_end && el.scroll_height() - top - el.client_height() < 40 {
                at_bottom.set(true);
                unseen.set(false);
            } else if top < previous - 2 && by_visitor {
                at_bottom.set(false);
            }
            // Near the top: the page above, when the visitor scrolled there or reads back
            // already. (While following a burst, a window that was just cut can leave the list
            // near the top for a moment; paging back then unpinned the end, and the DOM grew
            // with the burst: 1,960 messages, seen once under load.)
            if top < 80 && (by_visitor || !at_bottom.get_untracked()) {
                earlier();
            }
        }
    };
    let shown = move || {
        let start = first.get();
        let end = last.get();
        chat.messages.with(|l| {
            // The effect above moves `first` the same way; this keeps the first render small.
            let len = l.len();
            let (start, end) = match end {
                Some(end) if start <= end && end <= len => (start, end),
                _ => (
                    restart_at(start, len, at_bottom.get_untracked()).unwrap_or(start),
                    len,
                ),
            };
            l.get(start..end).map(<[Msg]>::to_vec).unwrap_or_default()
        })
    };
    view! {
        <div class="cc-messages" node_ref=list role="log" aria-live="off" tabindex="0" on:scroll=on_scroll
            on:wheel=move |_| by_visitor() on:touchmove=move |_| by_visitor() on:keydown=move |_| by_visitor() on:pointerdown=move |_| by_visitor()>
            <Show when=move || { first.get() > 0 } fallback=|| ()>
                <button class="cc-earlier" on:click=move |_| earlier()>{move || t(ctl, "earlier")}</button>
            </Show>
            <For each=shown key=|m| (m.key, state_key(&m.state)) let:msg>
                <Message ctl=ctl msg=msg />
            </For>
            <Show when=move || chat.typing.get() && last.get().is_none() fallback=|| ()>
                <div class="cc-typing" role="img" aria-label=move || t(ctl, "typing")><span></span><span></span><span></span></div>
            </Show>
        </div>
        <Show when=move || unseen.get() || last.get().is_some() fallback=|| ()>
            <button class="cc-new-messages" on:click=move |_| jump_to_end()>
                {move || t(ctl, if unseen.get() { "new_messages" } else { "latest" })}
            </button>
        </Show>
    }
}

/// Where the window starts again when it must jump to the end: the list shrank below it
/// (another conversation), or it follows the end and has grown past its bound.
fn restart_at(start: usize, len: usize, following: bool) -> Option<usize> {
    (start > len || (following && len - start > MAX_RENDERED)).then(|| len.saturating_sub(PAGE))
}

/// A message is rendered again when its delivery state changes.
fn state_key(state: &Option<SendState>) -> u8 {
    match state {
        None => 0,
        Some(SendState::Sending) => 1,
        Some(SendState::Sent) => 2,
        Some(SendState::Failed) => 3,
    }
}

#[component]
fn History(ctl: Ctl) -> impl IntoView {
    let chat = ctl.with_value(|c| c.chat());
    let items = move || chat.history.get().unwrap_or_default();
    view! {
        <nav class="cc-history" aria-label=move || t(ctl, "history")>
            <h3>{move || t(ctl, "history")}</h3>
            <Show when=move || !items().is_empty() fallback=move || view! { <p class="cc-empty">{t(ctl, "no_history")}</p> }>
                <ul>
                    <For each=items key=|p| p.id.clone() let:past>
                        <HistoryItem ctl=ctl past=past />
                    </For>
                </ul>
            </Show>
            <button class="cc-choice" on:click=move |_| ctl.with_value(|c| c.hide_history())>{move || t(ctl, "back")}</button>
        </nav>
    }
}

#[component]
fn HistoryItem(ctl: Ctl, past: super::state::Past) -> impl IntoView {
    let chat = ctl.with_value(|c| c.chat());
    let id = past.id.clone();
    let label = past.title.clone().unwrap_or_else(|| {
        let date = past
            .updated
            .map(date_label)
            .unwrap_or_else(|| past.id.chars().take(8).collect());
        ctl.with_value(|c| c.strings().fill("conversation_of", &[("date", &date)]))
    });
    let is_current = {
        let id = id.clone();
        move || chat.current.get().as_deref() == Some(id.as_str())
    };
    let (open_id, delete_id) = (id.clone(), id.clone());
    let delete_label = format!("{} — {}", t(ctl, "delete"), label);
    view! {
        <li class="cc-past" class:cc-current=is_current.clone()>
            <button class="cc-past-open" on:click=move |_| ctl.with_value(|c| c.switch_to(open_id.clone()))>
                {label.clone()}
                <Show when=is_current.clone() fallback=|| ()><span class="cc-tag">{t(ctl, "current")}</span></Show>
            </button>
            <button class="cc-icon-button cc-past-delete" aria-label=delete_label on:click=move |_| ctl.with_value(|c| c.delete_conversation(delete_id.clone()))>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M5 7h14M10 11v6M14 11v6M7 7l1 12h8l1-12M9 7V4h6v3" /></svg>
            </button>
        </li>
    }
}

fn date_label(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let opts = js_sys::Object::new();
    for (k, v) in [
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&opts, &k.into(), &v.into());
    }
    d.to_locale_string("default", &opts)
        .as_string()
        .unwrap_or_default()
}

fn time_label(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&opts, &"minute".into(), &"2-digit".into());
    d.to_locale_time_string_with_options("default", &opts)
        .as_string()
        .unwrap_or_default()
}

#[component]
fn Message(ctl: Ctl, msg: Msg) -> impl IntoView {
    let class = match msg.author {
        Author::User => "cc-msg cc-user",
        Author::Bot => "cc-msg cc-bot",
        Author::Agent => "cc-msg cc-agent",
        Author::System => "cc-msg cc-system",
    };
    let who = match msg.author {
        Author::User => t(ctl, "you"),
        Author::Agent => msg.name.clone().unwrap_or_else(|| t(ctl, "agent")),
        Author::Bot => t(ctl, "bot"),
        Author::System => String::new(),
    };
    let key = msg.key;
    let state = msg.state.clone();
    let items = msg.items.clone();
    let author = msg.author;
    view! {
        <div class=class>
            <Show when=move || author != Author::System && author != Author::User fallback=|| ()>
                <span class="cc-who">{who.clone()}</span>
            </Show>
            <div class="cc-bubble">
                {items.iter().cloned().map(|item| view! { <Item ctl=ctl item=item /> }).collect_view()}
            </div>
            <div class="cc-meta">
                <time>{time_label(msg.time)}</time>
                {state.map(|s| match s {
                    SendState::Sending => view! { <span class="cc-state">{t(ctl, "sending")}</span> }.into_any(),
                    SendState::Sent => view! { <span class="cc-state">{t(ctl, "sent")}</span> }.into_any(),
                    SendState::Failed => view! {
                        <span class="cc-state cc-failed">{t(ctl, "failed")}</span>
                        <button class="cc-retry" on:click=move |_| ctl.with_value(|c| c.retry(key))>{t(ctl, "retry")}</button>
                    }.into_any(),
                })}
            </div>
        </div>
    }
}

/// Sanitized markup, built as nodes once the element exists.
#[component]
fn Rich(html: String, class: &'static str) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        // Filled once; Leptos may have put a marker comment inside, so a flag says it is done.
        if let Some(el) = node.get() {
            if !el.has_attribute("data-filled") {
                let _ = el.set_attribute("data-filled", "");
                if let Some(doc) = el.owner_document() {
                    let _ = el.append_child(&sanitize::fragment(&doc, &html));
                }
            }
        }
    });
    view! { <div class=class node_ref=node></div> }
}

/// Lets content that changes height after it was shown (markdown once its module has
/// loaded) keep the list at its end while the visitor is there.
#[derive(Clone, Copy)]
struct FollowEnd(Callback<()>);

#[component]
fn Markdown(md: String) -> impl IntoView {
    let html = RwSignal::new(markdown::render_now(&md));
    if html.get_untracked().is_none() {
        let follow = use_context::<FollowEnd>();
        let source = md.clone();
        platform::spawn(async move {
            if let Some(h) = markdown::render(&source).await {
                // The item may be gone by now (try_set does nothing then).
                if html.try_set(Some(h)).is_none() {
                    if let Some(FollowEnd(f)) = follow {
                        f.run(());
                    }
                }
            }
        });
    }
    move || match html.get() {
        Some(h) => view! { <Rich html=h class="cc-rich cc-md" /> }.into_any(),
        None => view! { <p class="cc-text cc-md-pending">{md.clone()}</p> }.into_any(),
    }
}

fn text_view(text: String) -> impl IntoView {
    let parts = linkify(&text).into_iter().map(|s| match s {
        Segment::Text(t) => t.into_any(),
        Segment::Link { href, label } => match sanitize::safe_url(&href, UrlUse::Link) {
            Some(href) => view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{label}</a> }.into_any(),
            None => label.into_any(),
        },
    });
    view! { <p class="cc-text">{parts.collect_view()}</p> }
}

#[component]
fn Item(ctl: Ctl, item: ContentItem) -> impl IntoView {
    match item {
        ContentItem::Text(text) => text_view(text).into_any(),
        ContentItem::Markdown(md) => view! { <Markdown md=md /> }.into_any(),
        ContentItem::Html(h) => view! { <Rich html=h class="cc-rich cc-html" /> }.into_any(),
        ContentItem::Table(h) => view! { <Rich html=h class="cc-rich cc-table" /> }.into_any(),
        ContentItem::Buttons(b) => {
            let title = b.title.clone();
            let action = b.action.clone();
            let action_title = b.title.clone().unwrap_or_default();
            view! {
                <div class="cc-buttons">
                    {title.map(|t| view! { <p class="cc-text">{t}</p> })}
                    <div class="cc-button-row">
                        {b.options.into_iter().map(|o| view! { <ChoiceButton ctl=ctl option=o /> }).collect_view()}
                        {action.map(|a| view! {
                            <button class="cc-choice" on:click=move |_| ctl.with_value(|c| c.send_action(a.clone()))>{action_title.clone()}</button>
                        })}
                    </div>
                </div>
            }.into_any()
        }
        ContentItem::Cards(cards) => view! {
            <div class="cc-cards" role="list">
                {cards.into_iter().map(|c| view! { <CardView card=c /> }).collect_view()}
            </div>
        }
        .into_any(),
        ContentItem::Files { title, files } => view! {
            <div class="cc-files">
                {title.map(|t| view! { <p class="cc-text">{t}</p> })}
                {files.into_iter().map(|f| view! { <FileView ctl=ctl file=f /> }).collect_view()}
            </div>
        }
        .into_any(),
        ContentItem::Pause { .. } => ().into_any(),
        ContentItem::Unknown { kind, raw } => {
            view! { <Custom ctl=ctl kind=kind raw=raw /> }.into_any()
        }
    }
}

#[component]
fn ChoiceButton(ctl: Ctl, option: ButtonOption) -> impl IntoView {
    let label = option.label.clone();
    match option.url.as_deref().and_then(|u| sanitize::safe_url(u, UrlUse::Link)) {
        Some(href) => view! { <a class="cc-choice" href=href target="_blank" rel="noopener noreferrer nofollow">{label}</a> }.into_any(),
        None => {
            let value = option.value.clone().unwrap_or_else(|| option.label.clone());
            let shown = option.label.clone();
            view! { <button class="cc-choice" on:click=move |_| ctl.with_value(|c| c.send(&shown, &value))>{label}</button> }.into_any()
        }
    }
}

#[component]
fn CardView(card: Card) -> impl IntoView {
    let image = card
        .image_url
        .as_deref()
        .and_then(|u| sanitize::safe_url(u, UrlUse::Image));
    let link = card
        .link
        .as_deref()
        .and_then(|u| sanitize::safe_url(u, UrlUse::Link));
    let alt = card.text.clone().unwrap_or_default();
    view! {
        <article class="cc-card" role="listitem">
            {image.map(|src| view! { <img src=src alt=alt.clone() loading="lazy" referrerpolicy="no-referrer" /> })}
            <div class="cc-card-body">
                {card.text.map(|t| view! { <h3>{t}</h3> })}
                {card.description.map(|d| view! { <p>{d}</p> })}
                {link.map(|href| view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{"Open ↗"}</a> })}
            </div>
        </article>
    }
}

#[component]
fn FileView(ctl: Ctl, file: FileRef) -> impl IntoView {
    let name = file.filename.clone().unwrap_or_else(|| "file".into());
    let kind = file.kind.clone().unwrap_or_default();
    let mime = file.mimetype.clone().unwrap_or_default();
    let is_image = kind == "image" || mime.starts_with("image");
    let is_audio = kind == "audio" || mime.starts_with("audio");
    let raw = file.url.clone().unwrap_or_default();
    if is_image {
        if let Some(src) = sanitize::safe_url(&raw, UrlUse::Image) {
            return view! { <img class="cc-image" src=src alt=name loading="lazy" referrerpolicy="no-referrer" /> }.into_any();
        }
    }
    if is_audio {
        if let Some(src) = sanitize::safe_url(&raw, UrlUse::Media) {
            return view! { <audio class="cc-audio" controls=true preload="none" src=src aria-label=name></audio> }.into_any();
        }
    }
    match sanitize::safe_url(&raw, UrlUse::Media) {
        Some(href) => {
            let label = ctl.with_value(|c| c.strings().fill("download", &[("name", &name)]));
            view! { <a class="cc-file" href=href target="_blank" rel="noopener noreferrer nofollow" download=name.clone() aria-label=label>{file_icon()}{name.clone()}</a> }.into_any()
        }
        None => view! { <span class="cc-file">{file_icon()}{name}</span> }.into_any(),
    }
}

/// A document (an SVG like the other icons: an emoji is an empty box where the font lacks it).
fn file_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon cc-file-icon">
            <path d="M14 3H7a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V7zM14 3v4h4M9 13h6M9 17h6" />
        </svg>
    }
}

/// A custom type: the page's renderer (`renderers: { type: fn }`), or a neutral fallback.
#[component]
fn Custom(ctl: Ctl, kind: String, raw: Value) -> impl IntoView {
    let renderer = ctl.with_value(|c| {
        // Own properties only: a type named `toString` or `constructor` must not find
        // Object.prototype's.
        // (Any object: one from another frame or with a null prototype is not `instanceof Object`.)
        let r = &c.options().renderers;
        if !r.is_object() {
            return None;
        }
        let r = r.unchecked_ref::<js_sys::Object>();
        let key = js_sys::JsString::from(kind.as_str());
        if !js_sys::Object::has_own_str(r, &key).unwrap_or(false) {
            return None;
        }
        js_sys::Reflect::get(r, &key)
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    });
    let node = NodeRef::<html::Div>::new();
    let fallback = t(ctl, "unsupported");
    let text = raw.get("text").and_then(Value::as_str).map(str::to_owned);
    if let Some(f) = renderer {
        let raw_js = crate::client::platform::to_js(&raw);
        Effect::new(move |_| {
            let Some(el) = node.get() else { return };
            if el.has_attribute("data-filled") {
                return;
            }
            let _ = el.set_attribute("data-filled", "");
            // The page's own renderer: trusted like the rest of the page's code.
            match f.call1(&wasm_bindgen::JsValue::NULL, &raw_js) {
                Ok(out) => {
                    if let Some(n) = out.dyn_ref::<web_sys::Node>() {
                        let _ = el.append_child(n);
                    } else if let Some(s) = out.as_string() {
                        el.set_text_content(Some(&s));
                    }
                }
                Err(e) => crate::client::platform::console_error(
                    "[CaptivateChat] A custom renderer threw:",
                    &e,
                ),
            }
        });
        return view! { <div class="cc-custom" node_ref=node></div> }.into_any();
    }
    view! { <div class="cc-unknown"><p class="cc-text">{text.unwrap_or(fallback)}</p></div> }
        .into_any()
}

/// The files of a file list (picker, paste or drop).
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

#[component]
fn Composer(ctl: Ctl) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let area = NodeRef::<html::Textarea>::new();
    let send = move || {
        let value = text.get_untracked();
        if value.trim().is_empty() {
            return;
        }
        ctl.with_value(|c| c.send(&value, &value));
        text.set(String::new());
        if let Some(a) = area.get() {
            a.set_value("");
            let _ = a.focus();
        }
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
            e.prevent_default();
            send();
        }
    };
    let picker = NodeRef::<html::Input>::new();
    let on_pick = move |_| {
        if let Some(input) = picker.get() {
            let files = files_of(input.files());
            input.set_value("");
            if !files.is_empty() {
                ctl.with_value(|c| c.upload(files));
            }
        }
    };
    let on_paste = move |e: ev::ClipboardEvent| {
        let files = files_of(e.clipboard_data().and_then(|d| d.files()));
        if !files.is_empty() {
            e.prevent_default();
            ctl.with_value(|c| c.upload(files));
        }
    };
    view! {
        <form class="cc-composer" on:submit=move |e: ev::SubmitEvent| { e.prevent_default(); send(); }>
            <input type="file" multiple=true class="cc-file-input" node_ref=picker on:change=on_pick tabindex="-1" aria-hidden="true" />
            <button type="button" class="cc-icon-button cc-attach" aria-label=move || t(ctl, "attach") title=move || t(ctl, "attach")
                on:click=move |_| { if let Some(i) = picker.get() { i.click(); } }>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7" /></svg>
            </button>
            <textarea
                on:paste=on_paste
                node_ref=area
                rows="1"
                aria-label=move || t(ctl, "placeholder")
                placeholder=move || t(ctl, "placeholder")
                on:input=move |e| text.set(event_target_value(&e))
                on:keydown=on_key
                prop:value=move || text.get()
            ></textarea>
            <button type="submit" class="cc-send" aria-label=move || t(ctl, "send") disabled=move || text.get().trim().is_empty()>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="cc-icon"><path d="M3 11l18-8-8 18-2-8-8-2z" /></svg>
            </button>
        </form>
    }
}
