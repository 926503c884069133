package io.hulftark.kit;

/** A message's category, as the spec's message table names it. DEBUG lines appear only with debug on. */
public enum Category {
    ERROR, WARN, INFO, DEBUG
}
