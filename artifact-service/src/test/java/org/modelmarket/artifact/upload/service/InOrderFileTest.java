package org.modelmarket.artifact.upload.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InOrderFileTest {

    @Test
    void onlyTheNextPartAppendsOneAtATime() {
        InOrderFile file = new InOrderFile(true);
        assertThat(file.begin(2, 100)).isNull();
        InOrderFile.Append first = file.begin(1, 100);
        assertThat(first).isEqualTo(new InOrderFile.Append(1, 0));
        assertThat(file.begin(1, 100)).as("a second append meanwhile").isNull();
        file.appended(first, 40, "a");
        file.end(first);

        InOrderFile.Append second = file.begin(2, 100);
        assertThat(second).isEqualTo(new InOrderFile.Append(2, 40));
        file.end(second); // not staged (e.g. a checksum mismatch): nothing recorded
        assertThat(file.parts()).isEqualTo(1);
        assertThat(file.begin(2, 100)).isEqualTo(new InOrderFile.Append(2, 40));
    }

    @Test
    void noAppendPastTheDeclaredSizeWhenSealedOrOverAnUnknownFile() {
        InOrderFile file = new InOrderFile(true);
        InOrderFile.Append first = file.begin(1, 10);
        file.appended(first, 10, "a");
        file.end(first);
        assertThat(file.begin(2, 10)).as("the file holds the declared size").isNull();

        InOrderFile other = new InOrderFile(true);
        InOrderFile.Append writing = other.begin(1, 10);
        assertThat(other.seal()).as("not while an append runs").isFalse();
        other.end(writing);
        assertThat(other.seal()).isTrue();
        assertThat(other.begin(1, 10)).isNull();
        other.unseal();
        assertThat(other.begin(1, 10)).isNotNull();

        assertThat(new InOrderFile(false).begin(1, 10)).isNull();
    }

    @Test
    void droppingAPartGivesUpTheLaterOnesWithWhereTheyAre() {
        InOrderFile file = new InOrderFile(true);
        long[] sizes = {5, 7, 9};
        for (int n = 1; n <= 3; n++) {
            InOrderFile.Append append = file.begin(n, 100);
            file.appended(append, sizes[n - 1], "s" + n);
            file.end(append);
        }
        assertThat(file.sha256(2)).isEqualTo("s2");

        assertThat(file.dropFrom(2)).containsExactly(new InOrderFile.Slice(3, 12, 9));
        assertThat(file.parts()).isEqualTo(1);
        assertThat(file.begin(2, 100)).isEqualTo(new InOrderFile.Append(2, 5));
    }
}
