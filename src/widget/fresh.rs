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
//! `rebuild` below it is linked. What it leaves on the page is a [`FreshState`], one type
//! for every `Fresh` view: the reactive closures that return them share one copy of the
//! effect code (each state type of a `RenderEffect` is a copy of its own: docs/size.md, rule 6).

use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::{Element, Node};
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

/// The view `V`, replaced whole (built again, the old one unmounted) instead of rebuilt in
/// place when the closure that returns it runs again.
pub(super) struct Fresh<V>(pub V);

/// What a [`Fresh`] view left on the page, whatever its view's type.
pub(super) struct FreshState(Box<dyn Mountable>);

impl Mountable for FreshState {
    fn unmount(&mut self) {
        self.0.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.0.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.0.insert_before_this(child)
    }

    fn elements(&self) -> Vec<Element> {
        self.0.elements()
    }
}

impl<V: Render> Render for Fresh<V>
where
    V::State: 'static,
{
    type State = FreshState;

    fn build(self) -> FreshState {
        FreshState(Box::new(self.0.build()))
    }

    fn rebuild(self, state: &mut FreshState) {
        let mut new = self.build();
        // Every state this wraps has a node to insert before (an element, or the placeholder
        // of an empty branch or list).
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

impl<V: RenderHtml> AddAnyAttr for Fresh<V>
where
    V::State: 'static,
    <V::Owned as Render>::State: 'static,
{
    /// The view with the attributes, diffed as any (the widget spreads no attributes on a
    /// `Fresh` view; the state of an arbitrary one could not be boxed).
    type Output<A: Attribute> = V::Output<A>;

    fn add_any_attr<A: Attribute>(self, attr: A) -> Self::Output<A>
    where
        Self::Output<A>: RenderHtml,
    {
        self.0.add_any_attr(attr)
    }
}

/// Server rendering and hydration are `V`'s own (the widget renders on the client only).
impl<V: RenderHtml> RenderHtml for Fresh<V>
where
    V::State: 'static,
    <V::Owned as Render>::State: 'static,
{
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
    ) -> FreshState {
        FreshState(Box::new(self.0.hydrate::<FROM_SERVER>(cursor, position)))
    }

    fn into_owned(self) -> Self::Owned {
        Fresh(self.0.into_owned())
    }
}
