"""Identity providers: verifying their JSON Web Tokens."""
