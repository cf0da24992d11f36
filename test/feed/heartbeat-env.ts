// Imported first by the feed suite: the controller reads FEED_HEARTBEAT_MS when it is loaded.
process.env.FEED_HEARTBEAT_MS = '100';
