"""The demo's small web (pages, a PDF, an archive copy) and its article and claims file, as
package data; ``factcheck demo`` (:mod:`factcheck.commands.demo`) serves and checks them."""
