// `format!` for `Debug`'s output: native tests, not the widget (clippy.toml's rule 1 is for the wasm).
#![allow(clippy::disallowed_macros)]

use std::cell::Cell;
use std::rc::Rc;
use std::thread;

use super::SendWrapper;

/// Runs `f` on a new thread; whether it panicked.
fn panics_elsewhere(f: impl FnOnce() + Send + 'static) -> bool {
    thread::spawn(f).join().is_err()
}

#[test]
fn the_value_is_used_taken_and_dropped_on_its_thread() {
    let dropped = Rc::new(Cell::new(0));
    struct Counted(Rc<Cell<u32>>, u32);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let mut w = SendWrapper::new(Counted(Rc::clone(&dropped), 1));
    assert!(w.valid());
    assert_eq!(w.1, 1);
    w.1 = 2;
    assert_eq!(w.take().1, 2);
    assert_eq!(dropped.get(), 1, "taken once, dropped once (by the caller)");
    drop(SendWrapper::new(Counted(Rc::clone(&dropped), 3)));
    assert_eq!(dropped.get(), 2);
}

#[test]
fn another_thread_may_hold_it_but_not_use_it() {
    let w = SendWrapper::new(Rc::new(5));
    let (valid, w) = thread::spawn(move || (w.valid(), w)).join().unwrap();
    assert!(!valid);
    assert_eq!(**w, 5, "valid again on its thread");

    let w = SendWrapper::new(Rc::new(5));
    assert!(panics_elsewhere(move || {
        let _ = **w;
    }));
    let mut w = SendWrapper::new(vec![1]);
    assert!(panics_elsewhere(move || w.push(2)));
    let w = SendWrapper::new(Rc::new(5));
    assert!(panics_elsewhere(move || {
        let _ = w.take();
    }));
    let w = SendWrapper::new(Rc::new(5));
    assert!(panics_elsewhere(move || {
        let _ = w.clone();
    }));
    let w = SendWrapper::new(Rc::new(5));
    assert!(panics_elsewhere(move || {
        let _ = format!("{w:?}");
    }));
}

#[test]
fn a_drop_on_another_thread_panics() {
    let w = SendWrapper::new(Rc::new(5));
    assert!(panics_elsewhere(move || drop(w)));
}

#[test]
fn clone_and_debug_on_its_thread() {
    let w = SendWrapper::new(String::from("a"));
    let c = w.clone();
    assert!(c.valid());
    assert_eq!(*c, "a");
    assert_eq!(format!("{w:?}"), "SendWrapper { data: \"a\" }");
}

mod futures {
    use std::future::{ready, Future};
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use futures_core::Stream;

    use super::super::SendWrapper;
    use super::panics_elsewhere;

    /// A stream of `0..n`.
    struct Count(u32, u32);
    impl Stream for Count {
        type Item = u32;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u32>> {
            let at = self.0;
            self.0 += 1;
            Poll::Ready((at < self.1).then_some(at))
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            let left = (self.1 - self.0) as usize;
            (left, Some(left))
        }
    }

    #[test]
    fn futures_and_streams_are_polled_on_their_thread() {
        assert_eq!(futures_executor::block_on(SendWrapper::new(ready(7))), 7);
        let s = SendWrapper::new(Count(0, 3));
        assert_eq!(s.size_hint(), (3, Some(3)));
        let got: Vec<u32> = futures_executor::block_on_stream(s).collect();
        assert_eq!(got, [0, 1, 2]);
    }

    #[test]
    fn a_poll_on_another_thread_panics() {
        let f = SendWrapper::new(ready(7));
        assert!(panics_elsewhere(move || {
            let _ = futures_executor::block_on(f);
        }));
        let s = SendWrapper::new(Count(0, 3));
        assert!(panics_elsewhere(move || {
            let _ = futures_executor::block_on_stream(s).next();
        }));
        // Output type check: a wrapped future is a future of the same output.
        fn output<F: Future<Output = u8>>(_: F) {}
        output(SendWrapper::new(ready(1u8)));
    }
}
