"""Drives the local HipChat server with HypChat 0.21 (PyPI `hypchat`), unmodified.

Usage: hypchat_client.py SERVER_URL TOKEN ROOM_NAME NOTIFICATION_TEXT USER_EMAIL ROOM_HISTORY

Lists rooms, gets ROOM_NAME, reads its history (expects NOTIFICATION_TEXT; only when
ROOM_HISTORY is `yes`: the server build serves view_room_history), lists users (expects
USER_EMAIL's user among them), views that user, sends the user a private message and
reads it back from the private chat history, creates a user and saves a change to it,
lists and gets emoticons and reads the capabilities; asserts what it reads. Exits 0 on
success, 1 with a message on stderr otherwise.

One workaround, in this script only: HypChat maps JSON objects to its classes (Room,
HistoryCollection, UserCollection, ...) by matching their `links.self` against patterns
that start with `https://`. The spec (v2 §2) has absolute links built from the request's
Host and scheme (`http://` for this server), so the same patterns are registered for
`http://` too. Nothing else in HypChat is changed.
"""

import re
import sys

import hypchat
from hypchat import restobject


def fail(message):
    sys.stderr.write("hypchat_client: FAILED: %s\n" % message)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def allow_http_links():
    for pattern, klass in list(restobject._urls_to_objects.items()):
        if pattern.pattern.startswith("https://"):
            http = re.compile("https?://" + pattern.pattern[len("https://"):])
            restobject._urls_to_objects[http] = klass


def main(argv):
    if len(argv) != 7 or argv[6] not in ("yes", "no"):
        fail("usage: hypchat_client.py SERVER_URL TOKEN ROOM_NAME NOTIFICATION_TEXT USER_EMAIL yes|no")
    url, token, room_name, text, email, room_history = argv[1:]
    allow_http_links()
    hc = hypchat.HypChat(token, endpoint=url)

    # Rooms: the list (a RoomCollection, paged by links.next), then one room.
    # One room a page: contents() walks the pages by links.next (absolute URLs).
    rooms = hc.rooms(max_results=1)
    check(isinstance(rooms, restobject.RoomCollection), "rooms: not a RoomCollection: %r" % type(rooms))
    check(len(rooms["items"]) == 1 and rooms["maxResults"] == 1, "rooms: first page %r" % rooms)
    check("next" in rooms["links"], "rooms: no links.next on a first page of one: %r" % rooms["links"])
    listed = list(rooms.contents())
    names = [room["name"] for room in listed]
    check(len(names) >= 2, "rooms: expected two pages or more, got %r" % names)
    check(room_name in names, "rooms: %r not listed in %r" % (room_name, names))
    listed = [room for room in listed if room["name"] == room_name]
    room = listed[0].self()
    check(isinstance(room, restobject.Room), "room: not a Room: %r" % type(room))
    check(room["name"] == room_name, "room: name %r" % room["name"])
    check(room["created"] is not None and room["created"].tzinfo is not None, "room: created %r" % room["created"])
    by_name = hc.get_room(room_name)
    check(by_name["id"] == room["id"], "get_room by name: id %r != %r" % (by_name["id"], room["id"]))

    # Room history: the recent window, and latest.
    history_items = 0
    if room_history == "yes":
        history = room.history()
        check(isinstance(history, restobject.HistoryCollection), "history: not a HistoryCollection: %r" % type(history))
        messages = [item for item in history["items"] if item.get("message") == text]
        check(messages, "history: %r not found in %r" % (text, [i.get("message") for i in history["items"]]))
        item = messages[0]
        check(item["type"] == "notification", "history: type %r" % item["type"])
        check(item["date"].tzinfo is not None, "history: date %r" % item["date"])
        latest = room.latest()
        check(any(i.get("message") == text for i in latest["items"]), "latest: %r not found" % text)
        history_items = len(history["items"])
    else:
        print("hypchat_client: room history NOT checked (the server build does not serve it)")

    # Users: the list (paged by links.next), then view the seeded user.
    users = hc.users()
    check(isinstance(users, restobject.UserCollection), "users: not a UserCollection: %r" % type(users))
    everyone = list(users.contents())
    check(len(everyone) >= 2, "users: expected the owner and the seeded user, got %r" % everyone)
    user = hc.get_user(email)
    check(isinstance(user, restobject.User), "user: not a User: %r" % type(user))
    check(user["email"] == email, "user: email %r" % user["email"])
    check(any(u["id"] == user["id"] for u in everyone), "users: %r not listed" % user["id"])
    check(user["created"].tzinfo is not None, "user: created %r" % user["created"])
    by_link = [u for u in everyone if u["id"] == user["id"]][0].self()
    check(by_link["mention_name"] == user["mention_name"], "user by link: %r" % by_link["mention_name"])

    # Writes through HypChat's own helpers: UserCollection.create (sends None for the
    # optional fields), then User.save (sends the whole user back, as read).
    created = users.create("Hyp Chat", "hyp@example.com")
    check("password" in created, "create_user: no generated password in %r" % created)
    hyp = created.self()
    check(hyp["email"] == "hyp@example.com" and hyp["timezone"] == "UTC", "created user: %r" % hyp)
    hyp["title"] = "Edited by HypChat"
    hyp.save()
    check(hc.get_user(hyp["id"])["title"] == "Edited by HypChat", "User.save did not update the title")

    # Emoticons and capabilities.
    emoticons = hc.emoticons()
    check(isinstance(emoticons, restobject.EmoticonCollection), "emoticons: %r" % type(emoticons))
    shortcuts = [e["shortcut"] for e in emoticons.contents()]
    check("dog" in shortcuts, "emoticons: no dog in %r" % shortcuts)
    dog = hc.get_emoticon("dog")
    check(dog["width"] > 0 and dog["url"].startswith(url), "emoticon: %r" % dog)
    capabilities = hc.capabilities()
    provider = capabilities["capabilities"]["hipchatApiProvider"]
    check(provider["url"] == url + "/v2/", "capabilities: api url %r" % provider["url"])

    # Private chat: User.message, then User.history (view_recent_privatechat_history).
    private_text = "hello from hypchat"
    user.message(private_text)
    chat = user.history()
    mine = [i for i in chat["items"] if i.get("message") == private_text]
    check(mine, "private history: %r not found in %r" % (private_text, chat["items"]))
    check(mine[0]["type"] == "message", "private history: type %r" % mine[0]["type"])
    check(mine[0]["from"]["id"] != user["id"], "private history: from %r" % mine[0]["from"])
    check("links" in chat and chat["links"]["self"].endswith("/history/latest"), "private history: links %r" % chat.get("links"))

    print("hypchat_client: OK (%d rooms, %d room history items, %d users, %d private items)"
          % (len(names), history_items, len(everyone), len(chat["items"])))


if __name__ == "__main__":
    main(sys.argv)
