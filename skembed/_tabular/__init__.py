"""Tables family: the entity-embedding encoder and its network."""
