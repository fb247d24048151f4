//! What the server holds in memory besides its database stays bounded by what is live: the
//! routes of a socket go with it, a conversation's bot worker ends when it has been idle for
//! `bot_idle`, and only a hand-off to a (simulated) agent is remembered past its worker.

mod common;

use std::time::Duration;

use captivate_server::Held;
use common::*;

/// Waits (polling, 10 s at most) for the server to hold exactly `want`.
async fn holds(server: &Server, want: Held) {
    let start = std::time::Instant::now();
    loop {
        let held = server.state.held();
        if held == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still holds {held:?}, want {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

const NOTHING: Held = Held {
    sockets: 0,
    routes: 0,
    bot_workers: 0,
    agents: 0,
};

fn quick() -> captivate_server::Config {
    captivate_server::Config {
        bot_idle: Duration::from_millis(200),
        bot_delay: Duration::from_millis(1),
        ..config()
    }
}

#[tokio::test]
async fn memory_is_held_for_what_is_live_not_for_every_conversation_seen() {
    let server = start(quick()).await;
    // Three visitors one after the other, a hundred conversations each, each talked to.
    for round in 0..3 {
        let mut c = server.client(KEY).await;
        for i in 0..100 {
            let id = c.start(&format!("user-{round}-{i}")).await;
            assert_eq!(c.say(&id, "hello").await.0, 200);
        }
        let held = server.state.held();
        assert_eq!((held.sockets, held.routes), (1, 100), "{held:?}");
        assert!(held.bot_workers > 0, "{held:?}");
        // The visitor leaves: the socket's routes go with it, the idle workers end.
        drop(c);
        holds(&server, NOTHING).await;
    }
}

#[tokio::test]
async fn a_hand_off_outlives_its_idle_worker_and_ends_with_the_agent_or_the_conversation() {
    let server = start(quick()).await;
    let mut c = server.client(KEY).await;
    let id = c.start("handed-off").await;
    assert_eq!(c.say(&id, "human").await.0, 200);
    c.next_of("livechat_message").await;
    let one_agent = Held {
        sockets: 1,
        routes: 1,
        bot_workers: 0,
        agents: 1,
    };
    holds(&server, one_agent).await;
    // A new worker takes the conversation up with the agent still there.
    assert_eq!(c.say(&id, "are you there?").await.0, 200);
    c.next_of("livechat_message").await;
    holds(&server, one_agent).await;
    // The agent leaves: nothing to remember.
    assert_eq!(c.say(&id, "bye").await.0, 200);
    c.next_of("bot_message").await;
    holds(
        &server,
        Held {
            agents: 0,
            ..one_agent
        },
    )
    .await;
    // A conversation deleted while with an agent is forgotten at once.
    let other = c.start("handed-off-again").await;
    assert_eq!(c.say(&other, "human").await.0, 200);
    c.next_of("livechat_message").await;
    let (status, _) = c
        .send(captivate_chat::protocol::ClientEvent::DeleteConversation {
            conversation_id: other.clone(),
            soft: serde_json::json!(false),
        })
        .await;
    assert_eq!(status, 200);
    drop(c);
    holds(&server, NOTHING).await;
}
