//! A channel for one value between two tasks of one thread (the wasm's): who waits for the
//! link, for a conversation's start or for an HTTP answer. `futures_channel::oneshot` does
//! the same for any threads, with an `Arc`, atomics and a lock per channel type, each type a
//! copy of that code in the wasm; one thread needs an `Rc` and a `RefCell`.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// What the receiver hears when the sender went away without sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canceled;

struct Slot<T> {
    value: Option<T>,
    /// The receiver's task, while it waits.
    waker: Option<Waker>,
    /// The sender sent, or went away.
    done: bool,
}

/// The sending half: sends once, or tells the receiver it never will by going away.
pub struct Sender<T>(Rc<RefCell<Slot<T>>>);

/// The receiving half: a future of the value, or `Canceled` once the sender went away.
pub struct Receiver<T>(Rc<RefCell<Slot<T>>>);

/// A new channel's two halves.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let slot = Rc::new(RefCell::new(Slot {
        value: None,
        waker: None,
        done: false,
    }));
    (Sender(slot.clone()), Receiver(slot))
}

impl<T> Sender<T> {
    /// Hands `value` to the receiver; gives it back when the receiver is gone.
    pub fn send(self, value: T) -> Result<(), T> {
        // The sender and the receiver are the only two owners.
        if Rc::strong_count(&self.0) < 2 {
            return Err(value);
        }
        // Then `self` goes: its drop marks the slot done and wakes the receiver.
        self.0.borrow_mut().value = Some(value);
        Ok(())
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut slot = self.0.borrow_mut();
            slot.done = true;
            slot.waker.take()
        };
        // Woken outside the borrow: a waker may poll at once.
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        // Its task's waker goes with it (the sender may live on: a wait that timed out).
        // Dropped outside the borrow.
        let waker = self.0.borrow_mut().waker.take();
        drop(waker);
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, Canceled>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.0.borrow_mut();
        if let Some(value) = slot.value.take() {
            return Poll::Ready(Ok(value));
        }
        if slot.done {
            return Poll::Ready(Err(Canceled));
        }
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::{channel, Canceled, Receiver};
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    /// A waker that counts its wakes.
    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll<T>(rx: &mut Receiver<T>, waker: &Waker) -> Poll<Result<T, Canceled>> {
        Pin::new(rx).poll(&mut Context::from_waker(waker))
    }

    #[test]
    fn a_value_sent_before_or_after_the_wait_is_received() {
        let (tx, mut rx) = channel();
        assert_eq!(tx.send(7), Ok(()));
        assert_eq!(poll(&mut rx, Waker::noop()), Poll::Ready(Ok(7)));

        let (tx, mut rx) = channel::<&str>();
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        assert!(poll(&mut rx, &waker).is_pending());
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        assert_eq!(tx.send("answer"), Ok(()));
        // The waiting task was woken, once, and finds the value.
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(poll(&mut rx, &waker), Poll::Ready(Ok("answer")));
    }

    #[test]
    fn a_sender_that_goes_away_cancels_and_a_gone_receiver_refuses() {
        let (tx, mut rx) = channel::<u8>();
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        assert!(poll(&mut rx, &waker).is_pending());
        drop(tx);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(poll(&mut rx, &waker), Poll::Ready(Err(Canceled)));

        // A receiver that stops waiting (a timeout) lets go of its task's waker.
        let (tx, mut rx) = channel::<u8>();
        assert!(poll(&mut rx, &waker).is_pending());
        assert_eq!(Arc::strong_count(&count), 3);
        drop(rx);
        assert_eq!(Arc::strong_count(&count), 2);
        assert_eq!(tx.send(1), Err(1));

        let (tx, rx) = channel();
        drop(rx);
        assert_eq!(tx.send(String::from("lost")), Err(String::from("lost")));
    }
}
