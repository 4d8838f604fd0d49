-- bus_relay holds, per watermill topic, the index of the next log event the
-- relay publishes. The relay advances it in the transaction that inserts the
-- messages, so each committed event is published exactly once.
CREATE TABLE bus_relay (
    topic    TEXT   PRIMARY KEY,
    position BIGINT NOT NULL CHECK (position >= 0)
);
