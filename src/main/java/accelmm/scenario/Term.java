package accelmm.scenario;

import java.util.List;

/**
 * An argument as written, before its parameter gives it a type: the parser reads terms
 * without knowing what they are for, then {@link Values} checks and converts each against its
 * parameter. Terms keep their tokens so errors can point at them.
 */
sealed interface Term {

    Token first();

    Token last();

    /** {@code 4096}, {@code 0x1000}, {@code 16K}. */
    record Number(Token token) implements Term {
        @Override
        public Token first() {
            return token;
        }

        @Override
        public Token last() {
            return token;
        }
    }

    /** {@code -1}: a minus sign right before a number, which only an fd takes ({@code close -1}). */
    record Negative(Token minus, Token number) implements Term {
        @Override
        public Token first() {
            return minus;
        }

        @Override
        public Token last() {
            return number;
        }
    }

    /** {@code p}, {@code A.p}, {@code E.vm}, optionally {@code +N} or {@code -N}. */
    record Path(Token name, Token sign, Token offset) implements Term {

        boolean hasOffset() {
            return sign != null;
        }

        /** A name without dots or offset: what a word, a process or a device is written as. */
        boolean isPlainName() {
            return !hasOffset() && name.isPlainName();
        }

        @Override
        public Token first() {
            return name;
        }

        @Override
        public Token last() {
            return hasOffset() ? offset : name;
        }
    }

    /** {@code "text"}. */
    record Str(Token token) implements Term {
        @Override
        public Token first() {
            return token;
        }

        @Override
        public Token last() {
            return token;
        }
    }

    /** {@code 0xAB*4K}. */
    record Repeat(Token byteValue, Token count) implements Term {
        @Override
        public Token first() {
            return byteValue;
        }

        @Override
        public Token last() {
            return count;
        }
    }

    /** {@code secret "S" [size=N] [allow P1,P2]}; {@code size} is null when not given. */
    record Secret(Token keyword, Token name, Token size, List<Token> allow, Token last) implements Term {
        @Override
        public Token first() {
            return keyword;
        }
    }

    /** {@code a,b,c}: a key's value list, as in {@code placement=vram,system}. */
    record Items(List<Term> items) implements Term {
        @Override
        public Token first() {
            return items.get(0).first();
        }

        @Override
        public Token last() {
            return items.get(items.size() - 1).last();
        }
    }
}
