//! [`Fresh`]: a view that is built anew, never diffed, when the closure that makes it runs
//! again.
//!
//! When a reactive closure in a view runs again, tachys *rebuilds* its new view onto the
//! old one: each element and attribute compares itself with what it replaces. That code is
//! generic, so every element type of the subtree gets a `rebuild` of its own in the wasm,
//! whether or not anything is ever rebuilt. The widget's big reactive subtrees (the panel,
//! the conversation or the past conversations, a conversation's list, the list of past
//! conversations) are only ever swapped whole: a `Fresh` one builds the new view where the
//! old one is and unmounts the old one, as tachys does when a branch changes sides, so no
//! `rebuild` below it is linked.

use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

/// The view `V`, replaced whole (built again, the old one unmounted) instead of rebuilt in
/// place when the closure that returns it runs again.
pub(super) struct Fresh<V>(pub V);

impl<V: Render> Render for Fresh<V> {
    type State = V::State;

    fn build(self) -> V::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut V::State) {
        let mut new = self.0.build();
        // Every state this wraps has a node to insert before (an element, or the placeholder
        // of an empty branch or list).
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

impl<V: RenderHtml> AddAnyAttr for Fresh<V> {
    type Output<A: Attribute> = Fresh<V::Output<A>>;

    fn add_any_attr<A: Attribute>(self, attr: A) -> Self::Output<A>
    where
        Self::Output<A>: RenderHtml,
    {
        Fresh(self.0.add_any_attr(attr))
    }
}

/// Server rendering and hydration are `V`'s own (the widget renders on the client only).
impl<V: RenderHtml> RenderHtml for Fresh<V> {
    type AsyncOutput = V::AsyncOutput;
    type Owned = Fresh<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    async fn resolve(self) -> V::AsyncOutput {
        self.0.resolve().await
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> V::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        Fresh(self.0.into_owned())
    }
}
