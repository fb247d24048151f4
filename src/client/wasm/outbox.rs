//! Sending: one-off POSTs with the current socket id, and the outbox, which delivers
//! messages and actions exactly once and in order, retrying transient failures under the
//! same id (rules in [`crate::client::retry`]).

use futures_channel::oneshot;
use wasm_bindgen::prelude::*;

use super::chat::{ChatClient, Pending, SEND_TRIES};
use super::notice::{Delivery, LinkStatus, Notice};
use super::platform::{self, HttpAnswer};
use super::values;
use crate::client::retry;
use crate::client::ClientError;
use crate::protocol::ClientEvent;

impl ChatClient {
    /// POSTs one event with the current socket id.
    pub async fn send_now(&self, event: ClientEvent<JsValue>) -> Result<HttpAnswer, ClientError> {
        self.send_now_as(None, event).await
    }

    /// Like [`ChatClient::send_now`], with another API key in `x-api-key` (a conversation
    /// listed through `apiKeys` keeps its own key, as in 7.0.0).
    pub async fn send_now_as(
        &self,
        api_key: Option<&str>,
        event: ClientEvent<JsValue>,
    ) -> Result<HttpAnswer, ClientError> {
        let body = values::json_string(&event.envelope(self.socket_id().as_deref()));
        self.post(api_key, &body).await
    }

    /// POSTs an envelope, written as JSON text.
    pub(super) async fn post(
        &self,
        api_key: Option<&str>,
        body: &JsValue,
    ) -> Result<HttpAnswer, ClientError> {
        let key = api_key.unwrap_or(&self.0.api_key);
        let headers = [
            ("x-api-key", key),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ];
        match platform::http(
            "POST",
            &self.0.endpoints.message_url(),
            &headers,
            Some(body),
        )
        .await
        {
            Ok(answer) if answer.ok() => Ok(answer),
            Ok(answer) => Err(ClientError::Http {
                status: answer.status,
                status_text: answer.status_text,
            }),
            Err(e) => Err(e),
        }
    }

    /// Queues an event that must be delivered exactly once and in order (messages,
    /// actions). It goes out when the link is up, with retries under the same id.
    pub async fn send_reliably(
        &self,
        api_key: Option<&str>,
        conversation_id: &str,
        client_msg_id: &str,
        event: ClientEvent<JsValue>,
    ) -> Result<HttpAnswer, ClientError> {
        let (tx, rx) = oneshot::channel();
        {
            let mut st = self.0.st.borrow_mut();
            if st.disposed {
                return Err(ClientError::Disposed);
            }
            st.last_active = Some(conversation_id.to_owned());
            st.outbox.push(Pending {
                api_key: api_key.map(str::to_owned),
                conversation_id: conversation_id.to_owned(),
                client_msg_id: client_msg_id.to_owned(),
                event,
                tries: 0,
                done: Some(tx),
            });
        }
        self.notify(
            Some(conversation_id),
            &Notice::Delivery {
                conversation_id,
                client_msg_id,
                delivery: &Delivery::Queued,
            },
        );
        self.pump();
        rx.await.unwrap_or(Err(ClientError::Disposed))
    }

    /// How many messages wait in the outbox.
    pub fn queued(&self) -> usize {
        self.0.st.borrow().outbox.len()
    }

    pub(super) fn pump(&self) {
        {
            let mut st = self.0.st.borrow_mut();
            if st.pumping || st.outbox.is_empty() {
                return;
            }
            st.pumping = true;
        }
        let client = self.clone();
        platform::spawn(async move {
            client.drain().await;
            client.0.st.borrow_mut().pumping = false;
        });
    }

    pub(super) async fn drain(&self) {
        loop {
            let next = {
                let st = self.0.st.borrow();
                if st.disposed || (st.want_online && st.link != LinkStatus::Online) {
                    return;
                }
                // Written now, with the socket id of this attempt (the event stays queued
                // until it is delivered or given up).
                match st.outbox.first() {
                    Some(p) => (
                        p.api_key.clone(),
                        p.conversation_id.clone(),
                        p.client_msg_id.clone(),
                        values::json_string(&p.event.envelope(st.socket_id.as_deref())),
                    ),
                    None => return,
                }
            };
            let (api_key, conversation_id, client_msg_id, body) = next;
            self.notify(
                Some(&conversation_id),
                &Notice::Delivery {
                    conversation_id: &conversation_id,
                    client_msg_id: &client_msg_id,
                    delivery: &Delivery::Sending,
                },
            );
            let result = self.post(api_key.as_deref(), &body).await;
            let retry = result
                .as_ref()
                .is_err_and(|e| retry::is_transient(e.status()));
            let finished = {
                let mut st = self.0.st.borrow_mut();
                let Some(front) = st.outbox.first_mut() else {
                    return;
                };
                if front.client_msg_id != client_msg_id {
                    continue; // disposed and refilled meanwhile
                }
                front.tries += 1;
                if retry && front.tries < SEND_TRIES {
                    None
                } else {
                    // The first of a handful (a queue of its own costs more wasm than the
                    // shift of a few entries).
                    Some(st.outbox.remove(0))
                }
            };
            match finished {
                Some(mut done) => {
                    let delivery = match &result {
                        Ok(_) => Delivery::Sent,
                        Err(e) => Delivery::Failed {
                            error: e.clone(),
                            retried: done.tries > 1,
                        },
                    };
                    self.notify(
                        Some(&conversation_id),
                        &Notice::Delivery {
                            conversation_id: &conversation_id,
                            client_msg_id: &client_msg_id,
                            delivery: &delivery,
                        },
                    );
                    if let Some(tx) = done.done.take() {
                        let _ = tx.send(result);
                    }
                }
                None => {
                    let tries = self
                        .0
                        .st
                        .borrow()
                        .outbox
                        .first()
                        .map(|p| p.tries)
                        .unwrap_or(1);
                    let pause = retry::send_pause_ms(tries, js_sys::Math::random());
                    platform::sleep(pause).await;
                }
            }
        }
    }
}
