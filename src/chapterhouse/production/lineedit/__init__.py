"""Line editing: a copyedit round per chapter between production and the chapter's authors."""
