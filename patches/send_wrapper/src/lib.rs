//! `SendWrapper`, as send_wrapper 0.6.0 has it (the API Leptos, reactive_graph and tachys use:
//! `new`, `valid`, `take`, `Deref`, `DerefMut`, `Clone`, `Debug`, `Future` and `Stream`), in
//! place of that crate through `[patch.crates-io]`.
//!
//! A value that is not `Send` (a DOM node, a closure) may be moved to another thread inside a
//! `SendWrapper`, and used and dropped only on the thread that wrapped it: each use checks,
//! and a use from another thread panics (a drop there, unless that thread is already
//! panicking, when the value is leaked).
//!
//! Why our own: send_wrapper finds the current thread with `std::thread::current()`, whose
//! handle std allocates with its own `System` allocator (dlmalloc on wasm32) whatever the
//! global allocator is, so the widget's first load carried dlmalloc beside talc. In wasm32
//! without the `atomics` feature (every build of the widget) there is one thread: nothing to
//! check, nothing to allocate, and the checks compile to nothing. Elsewhere (the native
//! target: clippy, tests) a thread's id is recorded and compared, as send_wrapper does.

use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

/// Which thread this is.
#[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
mod thread {
    pub type Id = std::thread::ThreadId;

    // Native only (clippy.toml's rule is the widget's: in wasm32 it links dlmalloc).
    #[allow(clippy::disallowed_methods)]
    pub fn current() -> Id {
        std::thread::current().id()
    }

    pub fn is_current(id: &Id) -> bool {
        *id == current()
    }
}

/// Which thread this is: there is one.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod thread {
    pub type Id = ();

    pub fn current() -> Id {}

    pub fn is_current(_: &Id) -> bool {
        true
    }
}

/// A value usable only on the thread that wrapped it, movable to others.
pub struct SendWrapper<T> {
    data: ManuallyDrop<T>,
    thread: thread::Id,
}

impl<T> SendWrapper<T> {
    /// Wraps `data`, on this thread.
    pub fn new(data: T) -> SendWrapper<T> {
        SendWrapper {
            data: ManuallyDrop::new(data),
            thread: thread::current(),
        }
    }

    /// Whether this is the thread that wrapped the value (where it may be used).
    pub fn valid(&self) -> bool {
        thread::is_current(&self.thread)
    }

    /// The value, unwrapped.
    ///
    /// # Panics
    ///
    /// On another thread than the one that wrapped it.
    #[track_caller]
    pub fn take(self) -> T {
        self.check();
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped (ManuallyDrop) nor used again: `data` is moved out
        // once.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn check(&self) {
        if !self.valid() {
            panic!("SendWrapper: the value used on another thread than the one that wrapped it");
        }
    }
}

// SAFETY: the value is only reached (`Deref`, `DerefMut`, `take`, `Clone`, `Debug`, `poll`)
// and dropped on the thread that wrapped it: every path checks, and panics (or leaks, in a
// drop while panicking) elsewhere.
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as for `Send`: a shared reference reaches the value only through `Deref`, which checks.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        self.check();
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check();
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    #[track_caller]
    fn drop(&mut self) {
        if self.valid() {
            // SAFETY: dropped once, here; `data` is not used after.
            unsafe { ManuallyDrop::drop(&mut self.data) };
        } else if !std::thread::panicking() {
            // (While panicking, the value is leaked: a second panic would abort.)
            panic!("SendWrapper: a drop on another thread than the one that wrapped the value");
        }
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    #[track_caller]
    fn clone(&self) -> Self {
        SendWrapper::new(T::clone(self))
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper")
            .field("data", &**self)
            .finish()
    }
}

mod futures {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use futures_core::Stream;

    use super::SendWrapper;

    impl<T> SendWrapper<T> {
        /// The value, pinned as the wrapper is (checked: on the thread that wrapped it).
        #[track_caller]
        fn pinned(self: Pin<&mut Self>) -> Pin<&mut T> {
            self.check();
            // SAFETY: `data` is never moved out of a pinned wrapper: `take` needs the wrapper
            // by value, and the drop drops it in place.
            unsafe { self.map_unchecked_mut(|w| &mut *w.data) }
        }
    }

    impl<F: Future> Future for SendWrapper<F> {
        type Output = F::Output;

        #[track_caller]
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            self.pinned().poll(cx)
        }
    }

    impl<S: Stream> Stream for SendWrapper<S> {
        type Item = S::Item;

        #[track_caller]
        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
            self.pinned().poll_next(cx)
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            (**self).size_hint()
        }
    }
}

#[cfg(test)]
mod tests;
